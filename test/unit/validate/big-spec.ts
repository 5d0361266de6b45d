// A realistic spec that touches most keys a service can have; it must validate cleanly.
export const BIG_SPEC = `
version: "3.9"
name: shop
include:
  - ./monitoring/compose.yaml
  - path: [./db/compose.yaml, ./db/compose.override.yaml]
    env_file: ./db/.env
    project_directory: ./db
x-common: &common
  restart: unless-stopped
  logging:
    driver: json-file
    options: {max-size: 10m, max-file: 3}
services:
  web:
    <<: *common
    image: nginx:1.27
    pull_policy: every_12h
    platform: linux/amd64
    command: ["nginx", "-g", "daemon off;"]
    entrypoint: /docker-entrypoint.sh
    environment:
      NGINX_PORT: 80
      DEBUG: false
      EMPTY:
    env_file:
      - ./web.env
      - path: ./web.local.env
        required: false
        format: raw
    ports:
      - 80
      - "8080:80"
      - "127.0.0.1:8443:443/tcp"
      - "[::1]:9000:9000"
      - "5000-5010:5000-5010/udp"
      - target: 81
        published: "8081"
        host_ip: 0.0.0.0
        protocol: tcp
        mode: host
        name: alt
        app_protocol: http
    expose: ["3000", 3001, "4000-4010/udp"]
    volumes:
      - ./html:/usr/share/nginx/html:ro
      - static:/static
      - /var/cache/nginx
      - type: bind
        source: ./conf
        target: /etc/nginx/conf.d
        read_only: true
        consistency: cached
        bind: {propagation: rprivate, create_host_path: true, selinux: z}
      - type: volume
        source: static
        target: /srv
        volume: {nocopy: true, subpath: sub}
      - type: tmpfs
        target: /tmp
        tmpfs: {size: 64m, mode: 1777}
      - type: image
        source: alpine
        target: /img
        image: {subpath: etc}
    volumes_from: ["api:ro", "container:legacy"]
    tmpfs: [/run, "/var/run:size=10m"]
    networks:
      front:
        aliases: [www]
        ipv4_address: 172.20.0.10
        priority: 100
        gw_priority: 1
        interface_name: eth0
        driver_opts: {com.docker.network.endpoint.sysctls: "net.ipv4.conf.IFNAME.log_martians=1"}
      back:
    links: ["api:backend"]
    external_links: [redis_1]
    dns: 8.8.8.8
    dns_search: [example.com]
    dns_opt: [use-vc]
    extra_hosts: ["somehost:162.242.195.82", "otherhost=50.31.209.229"]
    depends_on:
      api:
        condition: service_healthy
        restart: true
      migrate:
        condition: service_completed_successfully
        required: false
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost"]
      interval: 1m30s
      timeout: 10s
      retries: 3
      start_period: 40s
      start_interval: 500ms
    deploy:
      mode: replicated
      replicas: "2"
      labels: [tier=front]
      resources:
        limits: {cpus: "0.50", memory: 512M, pids: 100}
        reservations:
          cpus: 0.25
          memory: 1.5GB
          devices:
            - capabilities: [gpu]
              count: all
              driver: nvidia
      restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 120s}
      update_config: {parallelism: 2, delay: 10s, order: stop-first}
      rollback_config: {parallelism: 1, failure_action: pause}
      placement:
        constraints: [node.role == manager]
        preferences: [{spread: node.labels.zone}]
      endpoint_mode: vip
    profiles: [frontend]
    init: true
    tty: "true"
    stdin_open: false
    read_only: "no"
    stop_signal: SIGQUIT
    stop_grace_period: 1m
    cap_add: [NET_ADMIN]
    cap_drop: [ALL]
    security_opt: ["no-new-privileges:true"]
    ulimits:
      nproc: 65535
      nofile: {soft: 20000, hard: "40000"}
    sysctls: {net.core.somaxconn: 1024}
    hostname: web
    domainname: example.com
    user: "101:101"
    working_dir: /srv
    labels:
      com.example.description: Web frontend
    annotations: [com.example.note=yes]
    post_start:
      - command: ["/bin/sh", "-c", "echo started"]
        user: root
    pre_stop:
      - command: /bin/cleanup
        privileged: false
        environment: {MODE: fast}
    attach: true
    develop:
      watch:
        - path: ./html
          action: sync
          target: /usr/share/nginx/html
          ignore: [node_modules/]
          initial_sync: true
        - path: ./conf
          action: sync+exec
          target: /etc/nginx/conf.d
          exec: {command: nginx -s reload}
        - path: ./Dockerfile
          action: rebuild
    x-owner: team-web
  api:
    build:
      context: ./api
      dockerfile: Dockerfile.dev
      args: [NODE_ENV=development]
      target: dev
      labels: {com.example.build: "1"}
      cache_from: [shop/api:cache]
      cache_to: ["type=inline"]
      network: host
      shm_size: 256m
      extra_hosts: {registry.local: 10.0.0.5}
      tags: [shop/api:dev]
      no_cache: false
      pull: true
      platforms: [linux/amd64, linux/arm64]
      ssh: [default]
      secrets: [npm_token, {source: npm_token, target: npmrc, mode: "0400"}]
      additional_contexts: {common: ../common}
    image: shop/api:dev
    environment: ["NODE_ENV=development", "SHELL_VAR"]
    secrets:
      - db_password
      - source: api_key
        target: /run/secrets/key
        uid: "1000"
        gid: 1000
        mode: 0440
    configs: [app_config, {source: app_config, target: /etc/app.json}]
    healthcheck:
      test: curl -f http://localhost:3000/health || exit 1
    devices: ["/dev/ttyUSB0:/dev/ttyUSB0:rwm", {source: /dev/sda, target: /dev/xvda, permissions: r}]
    device_cgroup_rules: ["c 1:3 mr"]
    group_add: [audio, 1000]
    gpus: all
    shm_size: 1g
    mem_limit: 1.5g
    mem_reservation: "512m"
    memswap_limit: -1
    mem_swappiness: 60
    oom_kill_disable: false
    oom_score_adj: -500
    pids_limit: -1
    cpus: 1.5
    cpu_shares: "512"
    cpu_period: 100000
    cpu_quota: 50000
    cpuset: "0-1"
    cpu_rt_period: 1000000
    cpu_rt_runtime: 950ms
    blkio_config:
      weight: 300
      weight_device: [{path: /dev/sda, weight: 400}]
      device_read_bps: [{path: /dev/sda, rate: 12mb}]
      device_write_iops: [{path: /dev/sda, rate: 30}]
    ipc: shareable
    pid: host
    cgroup: private
    cgroup_parent: shop.slice
    runtime: runc
    storage_opt: {size: 20G}
    logging: {driver: local}
    restart: "on-failure:5"
    networks: [back]
    scale: 1
    extends:
      service: base
      file: ./base.yaml
  migrate:
    image: shop/api:dev
    command: null
    restart: "no"
    network_mode: service:api
    depends_on: [api]
  worker:
    image: shop/worker
    container_name: shop-worker
    extends: api
    mac_address: 02:42:ac:11:65:43
    isolation: default
    userns_mode: host
    uts: host
    oom_score_adj: 0
    net: none
    env_file: ./worker.env
    dockerfile: Dockerfile.legacy
networks:
  front:
    driver: bridge
    driver_opts: {com.docker.network.bridge.name: br-front}
    ipam:
      driver: default
      config:
        - subnet: 172.20.0.0/16
          ip_range: 172.20.5.0/24
          gateway: 172.20.0.1
          aux_addresses: {host1: 172.20.1.5}
    enable_ipv6: false
    attachable: true
    labels: [com.example.net=front]
  back:
    internal: true
  outside:
    external: true
    name: corp-net
  default:
volumes:
  static:
  data:
    driver: local
    driver_opts: {type: none, o: bind, device: /srv/data}
    labels: {com.example.vol: data}
  old:
    external:
      name: legacy-volume
secrets:
  db_password:
    file: ./secrets/db_password.txt
  api_key:
    environment: API_KEY
  npm_token:
    external: true
    name: shop_npm_token
configs:
  app_config:
    content: |
      {"debug": true}
  nginx_conf:
    file: ./nginx.conf
    labels: {a: b}
`;
