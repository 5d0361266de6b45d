// The least any Node program must do to show a project's containers: start, send the engine the
// same list request `stack ps` sends (one bare HTTP/1.0 GET on the unix socket), read and parse
// the answer, exit. The reconcile bench times it beside `ps` and the no-op `up`: what is left
// above it is stack's own work; what is in it is Node's start and dockerd's list.
// Usage: node bench/_list-floor.cjs <project>   (DOCKER_HOST=unix://... honoured)
'use strict';
const socketPath = (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');
const filters = encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${process.argv[2]}`] }));
const socket = require('node:net').connect(socketPath);
socket.write(`GET /containers/json?all=true&filters=${filters} HTTP/1.0\r\nHost: docker\r\n\r\n`);
const chunks = [];
socket.on('data', (chunk) => chunks.push(chunk));
socket.on('end', () => {
  const answer = Buffer.concat(chunks);
  const containers = JSON.parse(answer.toString('utf8', answer.indexOf('\r\n\r\n') + 4));
  if (!Array.isArray(containers)) process.exit(1);
});
