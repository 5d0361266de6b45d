// Profiles are applied by the model (core/model), not here; this only reads COMPOSE_PROFILES.

/** `COMPOSE_PROFILES=debug,tools` -> ['debug', 'tools'] (blank entries dropped). */
export function parseComposeProfiles(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((profile) => profile.trim())
    .filter((profile) => profile !== '');
}
