// One informer for one kind: client-node's ListWatch (list, then watch from the list's resourceVersion,
// re-list after 410 Gone) with a paged list that has a deadline, watch bookmarks, a server-side watch
// timeout, and managedFields dropped from every object (they are most of an object's size and never shown).
import { ListWatch, Watch, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { kubeGetJson } from '../shared/kubeGet';
import { resourcePath, type KindInfo, type KubeObject } from './kinds';

/** What InformerSet needs from an informer; tests substitute a fake. */
export interface Informer {
  on(event: 'add' | 'update' | 'delete', cb: (obj: KubeObject) => void): void;
  on(event: 'error' | 'connect', cb: (err?: unknown) => void): void;
  /** Lists (unless it can resume from a resourceVersion) and starts watching; errors are reported through 'error'. */
  start(): Promise<void>;
  stop(): Promise<void>;
  list(): readonly KubeObject[];
}

export type InformerFactory = (info: KindInfo, version: string) => Informer;

const PAGE_SIZE = 500;
const LIST_TIMEOUT_MS = 60_000;
/** The server ends each watch after this long (plus jitter); the informer then re-watches from its resourceVersion. */
const WATCH_TIMEOUT_S = 300;

type Obj = KubernetesObject & KubeObject;

function trim<T extends Obj>(obj: T): T {
  if (obj.metadata?.managedFields !== undefined) delete (obj.metadata as { managedFields?: unknown }).managedFields;
  return obj;
}

class TrimmingWatch extends Watch {
  override watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    const params = { ...query, allowWatchBookmarks: true, timeoutSeconds: WATCH_TIMEOUT_S + Math.floor(Math.random() * 60) };
    return super.watch(path, params, (phase, obj: Obj, raw) => {
      callback(phase, typeof obj === 'object' ? trim(obj) : obj, raw);
    }, done);
  }
}

async function pagedList(kc: KubeConfig, path: string): Promise<KubernetesListObject<Obj>> {
  const items: Obj[] = [];
  let resourceVersion: string | undefined;
  let next: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (next) query.set('continue', next);
    const page = (await kubeGetJson(kc, `${path}?${query.toString()}`, { timeoutMs: LIST_TIMEOUT_MS })) as KubernetesListObject<Obj>;
    for (const item of page.items) items.push(trim(item));
    resourceVersion ??= page.metadata?.resourceVersion;
    next = page.metadata?._continue ?? (page.metadata as { continue?: string } | undefined)?.continue;
  } while (next);
  // A plain object in the list's shape: ListWatch reads only metadata.resourceVersion and items.
  const list: unknown = { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion }, items };
  return list as KubernetesListObject<Obj>;
}

export interface ListWatchHooks {
  /** Called after each full list (the first one, and every re-list after 410 Gone or a restart). */
  readonly onList?: (info: KindInfo, items: number) => void;
}

export function listWatchFactory(kc: KubeConfig, hooks: ListWatchHooks = {}): InformerFactory {
  return (info, version) => {
    const path = resourcePath(info, version);
    const list = async (): Promise<KubernetesListObject<Obj>> => {
      const result = await pagedList(kc, path);
      hooks.onList?.(info, result.items.length);
      return result;
    };
    return new ListWatch<Obj>(path, new TrimmingWatch(kc), list, false);
  };
}
