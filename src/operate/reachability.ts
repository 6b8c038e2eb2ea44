// Before a command sends anything: one short GET /version, so an API server that cannot be reached is one
// clear message about the cluster instead of one refusal per object.
import { describeFailure } from './apiErrors';
import { isAbort } from './applyRun';
import type { KubeClient } from './kubeClient';

const DEADLINE_MS = 5_000;

export class UnreachableError extends Error {
  override readonly name = 'UnreachableError';
}

/** Resolves once the server answers at all (any HTTP status); throws UnreachableError when it does not. */
export async function checkReachable(client: KubeClient, signal?: AbortSignal, timeoutMs = DEADLINE_MS): Promise<void> {
  try {
    await client.send({ method: 'GET', path: '/version', signal, timeoutMs });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new UnreachableError(
      `cannot reach ${client.server ?? 'the API server'} (context ${client.context}): ${describeFailure(error)}. Is the cluster running? Check the kubeconfig's server address for this context.`,
      { cause: error },
    );
  }
}
