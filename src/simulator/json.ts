// Small readers for untrusted JSON (request bodies, the inventory, the state file): each names
// the offending path in its error so a bad request or file is easy to fix.

export type Json = Record<string, unknown>;

export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asObject(value: unknown, path: string): Json {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new ShapeError(`${path} must be an object`);
  return value;
}

export function asArray(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ShapeError(`${path} must be a list`);
  return value;
}

export function reqString(obj: Json, key: string, path: string): string {
  const value = obj[key];
  if (typeof value !== 'string' || value.trim() === '') throw new ShapeError(`${path}.${key} must be a non-empty string`);
  return value;
}

export function optString(obj: Json, key: string, path: string, fallback: string): string {
  const value = obj[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string') throw new ShapeError(`${path}.${key} must be a string`);
  return value;
}

export function optNumber(obj: Json, key: string, path: string, fallback: number, min = 0): number {
  const value = obj[key];
  if (value === undefined || value === null) return fallback;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < min) {
    throw new ShapeError(`${path}.${key} must be a number >= ${min}`);
  }
  return number;
}

export function optBoolean(obj: Json, key: string, path: string, fallback: boolean): boolean {
  const value = obj[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 1 || value === '1') return true;
  if (value === 'false' || value === 0 || value === '0') return false;
  throw new ShapeError(`${path}.${key} must be a boolean`);
}

export function stringList(value: unknown, path: string): string[] {
  return asArray(value, path).map((item, i) => {
    if (typeof item !== 'string' || item === '') throw new ShapeError(`${path}[${i}] must be a non-empty string`);
    return item;
  });
}

/** Deletes a key of a JSON record (state maps are plain objects so they serialise as-is). */
export function removeKey(record: object, key: string): void {
  Reflect.deleteProperty(record, key);
}
