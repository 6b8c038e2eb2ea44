// Structured logs: one JSON object per line (`time`, `level`, `msg`, then `kind`, `namespace`,
// `name` and other fields). Callers never pass credentials or bootstrap data; as a second line of
// defence, fields whose names look secret are dropped and every string registered with
// `redact()` (DCS keys read from Secrets) is masked wherever it appears in a line.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LogLevels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export type LogValue = string | number | boolean | undefined;
export type LogFields = Readonly<Record<string, LogValue>>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds these fields to every line. */
  child(fields: LogFields): Logger;
  enabled(level: LogLevel): boolean;
  /** Masks this value in every later line (of this logger and its children). */
  redact(secret: string): void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const SECRET_FIELD = /(password|passwd|authkey|token|authorization|payload|bootstrapdata|^key$|^value$|^data$|^stringdata$)/i;
const MASK = '[redacted]';
/** Short values would mask ordinary words. */
const MIN_REDACTED_LENGTH = 6;

export function isLogLevel(value: string): value is LogLevel {
  return (LogLevels as readonly string[]).includes(value);
}

interface Sink {
  readonly write: (line: string) => void;
  readonly minLevel: LogLevel;
  readonly clock: () => number;
  readonly secrets: Set<string>;
}

class JsonLogger implements Logger {
  constructor(
    private readonly sink: Sink,
    private readonly base: LogFields,
  ) {}

  debug(msg: string, fields?: LogFields): void {
    this.emit('debug', msg, fields);
  }

  info(msg: string, fields?: LogFields): void {
    this.emit('info', msg, fields);
  }

  warn(msg: string, fields?: LogFields): void {
    this.emit('warn', msg, fields);
  }

  error(msg: string, fields?: LogFields): void {
    this.emit('error', msg, fields);
  }

  child(fields: LogFields): Logger {
    return new JsonLogger(this.sink, { ...this.base, ...fields });
  }

  enabled(level: LogLevel): boolean {
    return ORDER[level] >= ORDER[this.sink.minLevel];
  }

  redact(secret: string): void {
    if (secret.length >= MIN_REDACTED_LENGTH) this.sink.secrets.add(secret);
  }

  private emit(level: LogLevel, msg: string, fields: LogFields = {}): void {
    if (!this.enabled(level)) return;
    const record: Record<string, LogValue> = { time: new Date(this.sink.clock()).toISOString(), level, msg };
    for (const [key, value] of Object.entries({ ...this.base, ...fields })) {
      if (value === undefined) continue;
      record[key] = SECRET_FIELD.test(key) ? MASK : value;
    }
    let line = JSON.stringify(record);
    for (const secret of this.sink.secrets) {
      if (line.includes(secret)) line = line.split(secret).join(MASK);
      const escaped = JSON.stringify(secret).slice(1, -1);
      if (escaped !== secret && line.includes(escaped)) line = line.split(escaped).join(MASK);
    }
    this.sink.write(`${line}\n`);
  }
}

export function jsonLogger(write: (line: string) => void, minLevel: LogLevel = 'info', clock: () => number = Date.now): Logger {
  return new JsonLogger({ write, minLevel, clock, secrets: new Set() }, {});
}

/** The message of any thrown value, for a log field. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
