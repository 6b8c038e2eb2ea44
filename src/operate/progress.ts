// Long work the user started: a cancellable notification with "n of m" messages, whose cancel button aborts
// the HTTP requests (the token becomes an AbortSignal).
import * as vscode from 'vscode';

export interface ProgressReporter {
  /** Replaces the message; `fraction` (0..1) moves the bar to that point. */
  report(message: string, fraction?: number): void;
}

export async function withCancellableProgress<T>(title: string, task: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const owned: vscode.Disposable[] = [];
    const signal = toAbortSignal(token, owned);
    let reported = 0;
    const reporter: ProgressReporter = {
      report(message, fraction) {
        const target = fraction === undefined ? reported : Math.max(reported, Math.min(1, fraction) * 100);
        progress.report({ message, increment: target - reported });
        reported = target;
      },
    };
    try {
      return await task(reporter, signal);
    } finally {
      for (const d of owned) d.dispose();
    }
  });
}

export function toAbortSignal(token: vscode.CancellationToken, owned: vscode.Disposable[]): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  owned.push(token.onCancellationRequested(() => {
    controller.abort();
  }));
  return controller.signal;
}
