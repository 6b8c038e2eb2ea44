// A small Prometheus registry: labelled counters and gauges read at scrape time, rendered in the
// text exposition format (version 0.0.4). Owned by the manager; nothing here is global.

type Labels = Readonly<Record<string, string>>;

interface Family {
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly values: Map<string, { labels: Labels; value: number }>;
  readonly collect?: () => readonly { labels: Labels; value: number }[];
}

export class Counter {
  constructor(private readonly family: Family) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    const current = this.family.values.get(key);
    if (current) current.value += by;
    else this.family.values.set(key, { labels, value: by });
  }

  /** The value for these labels, or the sum over all labels when none are given. */
  get(labels?: Labels): number {
    if (labels) return this.family.values.get(labelKey(labels))?.value ?? 0;
    let sum = 0;
    for (const v of this.family.values.values()) sum += v.value;
    return sum;
  }
}

export class Metrics {
  private readonly families = new Map<string, Family>();

  counter(name: string, help: string): Counter {
    const existing = this.families.get(name);
    if (existing) return new Counter(existing);
    const family: Family = { help, type: 'counter', values: new Map() };
    this.families.set(name, family);
    return new Counter(family);
  }

  /** A gauge whose samples are read when scraped. */
  gauge(name: string, help: string, collect: () => readonly { labels: Labels; value: number }[]): void {
    this.families.set(name, { help, type: 'gauge', values: new Map(), collect });
  }

  render(): string {
    const lines: string[] = [];
    for (const [name, family] of [...this.families.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.type}`);
      const samples = family.collect ? collectSafely(family.collect) : [...family.values.values()];
      for (const sample of samples) lines.push(`${name}${renderLabels(sample.labels)} ${formatNumber(sample.value)}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

/** A collector that throws (no /proc in a bare chroot, say) leaves its family empty; a scrape never kills the process. */
function collectSafely(collect: () => readonly { labels: Labels; value: number }[]): readonly { labels: Labels; value: number }[] {
  try {
    return collect();
  } catch {
    return [];
  }
}

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ''}`)
    .join(',');
}

function renderLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return `{${keys.map((k) => `${k}="${escape(labels[k] ?? '')}"`).join(',')}}`;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}

/** Parses one sample value out of exposition text (tests and the benchmark read metrics this way). */
export function sampleValue(text: string, name: string, labels: Labels = {}): number | undefined {
  const wanted = renderLabels(labels);
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const series = line.slice(0, space);
    const metric = series.split('{')[0];
    if (metric !== name) continue;
    if (wanted !== '' && series !== `${name}${wanted}`) continue;
    sum = (sum ?? 0) + Number(line.slice(space + 1));
    if (wanted !== '') return sum;
  }
  return sum;
}
