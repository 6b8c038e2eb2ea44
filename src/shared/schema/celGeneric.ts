// TypeScript twins of CEL rules found in other CRDs (Cluster API's among them): each recognizer
// matches one common expression shape and returns a check, or undefined when the shape differs.
import { isObject, jsonEqual, show, type CelCheck, type CelViolation } from './celRule';

export const GenericRuleIds = {
  uniqueBy: 'cel-unique',
  notIn: 'cel-not-in',
  matches: 'cel-matches',
  exactlyOneOf: 'cel-exactly-one-of',
  atMostOneOf: 'cel-at-most-one-of',
  immutable: 'cel-immutable',
} as const;

type Recognizer = (rule: string, message: string) => CelCheck | undefined;

const identifier = String.raw`[A-Za-z_][A-Za-z0-9_]*`;

/** `self.all(x, self.exists_one(y, x.name == y.name))` or `... x == y ...`. */
const uniqueBy: Recognizer = (rule, message) => {
  const m = new RegExp(String.raw`^self\.all\((${identifier}), self\.exists_one\((${identifier}), (.+)\)\)$`).exec(rule);
  if (!m) return undefined;
  const [, x, y, cond] = m as unknown as [string, string, string, string];
  const field = new RegExp(String.raw`^${x}\.(${identifier}) == ${y}\.\1$`).exec(cond)?.[1];
  if (field === undefined && cond !== `${x} == ${y}`) return undefined;
  return {
    id: GenericRuleIds.uniqueBy,
    transition: false,
    check(self) {
      if (!Array.isArray(self)) return [];
      const violations: CelViolation[] = [];
      self.forEach((item: unknown, i) => {
        const key: unknown = field === undefined ? item : isObject(item) ? item[field] : undefined;
        const first = self.findIndex((other: unknown) => jsonEqual(field === undefined ? other : isObject(other) ? other[field] : undefined, key));
        if (first < i) violations.push({ at: field === undefined ? [i] : [i, field], message: `${message} (${show(key)} repeats item [${first}])`, value: key });
      });
      return violations;
    },
  };
};

/** `!(self in ['A','B'])` */
const notIn: Recognizer = (rule, message) => {
  const m = /^!\(self in \[(.*)\]\)$/.exec(rule);
  if (!m) return undefined;
  const values = [...(m[1] ?? '').matchAll(/'([^']*)'/g)].map((v) => v[1]);
  return {
    id: GenericRuleIds.notIn,
    transition: false,
    check: (self) => (typeof self === 'string' && values.includes(self) ? [{ at: [], message, value: self }] : []),
  };
};

/** `self.matches('regex')` */
const matches: Recognizer = (rule, message) => {
  const m = /^self\.matches\('((?:[^'\\]|\\.)*)'\)$/.exec(rule);
  if (!m) return undefined;
  let regex: RegExp;
  try {
    regex = new RegExp((m[1] ?? '').replace(/\\\\/g, '\\'), 'u');
  } catch {
    return undefined; // RE2 syntax JavaScript does not understand: leave it to the API server
  }
  return {
    id: GenericRuleIds.matches,
    transition: false,
    check: (self) => (typeof self === 'string' && !regex.test(self) ? [{ at: [], message, value: self }] : []),
  };
};

/** `[has(self.a),has(self.b)].filter(x,x==true).size() == 1` (or `<= 1`) */
const oneOf: Recognizer = (rule, message) => {
  const m = /^\[((?:has\(self\.\w+\),?\s*)+)\]\.filter\((\w+),\s*\2\s*==\s*true\)\.size\(\)\s*(==|<=)\s*1$/.exec(rule);
  if (!m) return undefined;
  const fields = [...(m[1] ?? '').matchAll(/has\(self\.(\w+)\)/g)].map((f) => f[1] ?? '');
  const exactly = m[3] === '==';
  return {
    id: exactly ? GenericRuleIds.exactlyOneOf : GenericRuleIds.atMostOneOf,
    transition: false,
    check(self) {
      if (!isObject(self)) return [];
      const set = fields.filter((f) => self[f] !== undefined).length;
      return set > 1 || (exactly && set === 0) ? [{ at: [], message }] : [];
    },
  };
};

/** `self == oldSelf` */
const immutable: Recognizer = (rule, message) =>
  rule === 'self == oldSelf'
    ? { id: GenericRuleIds.immutable, transition: true, check: (self, old) => (jsonEqual(self, old) ? [] : [{ at: [], message }]) }
    : undefined;

const recognizers: readonly Recognizer[] = [uniqueBy, notIn, matches, oneOf, immutable];

export function recognizeCelRule(rule: string, message: string): CelCheck | undefined {
  const normalized = rule.replace(/\s+/g, ' ').trim();
  for (const recognize of recognizers) {
    const check = recognize(normalized, message);
    if (check) return check;
  }
  return undefined;
}
