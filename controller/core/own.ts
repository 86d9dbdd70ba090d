/**
 * A record's own entry for a key that came from outside (a request path, a device message): never
 * what its prototype holds, so `constructor`, `__proto__` or `toString` find nothing rather than
 * Object's own functions.
 */
export function own<T>(record: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
