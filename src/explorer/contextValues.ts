// contextValues of explorer rows that the package.json menus tell apart (`viewItem =~ /\bword\b/`). Pure, so
// a unit test checks them against the menus' `when` clauses.
import { ExplorerItems } from '../shared/ids';

/** A Cluster row: a live object, a cluster, and paused or running, so the menu offers Resume or Pause, not both. */
export function clusterContextValue(paused: boolean): string {
  return [ExplorerItems.liveObject, ExplorerItems.cluster, paused ? ExplorerItems.paused : ExplorerItems.running].join(' ');
}
