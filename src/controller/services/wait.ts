// "Not yet": a step that started something in DCS (or waits for someone else) and wants to be
// reconciled again later. Carries the condition reason and message to report meanwhile.

export class Wait {
  constructor(
    readonly reason: string,
    readonly message: string,
    readonly requeueAfterMs: number,
    readonly severity: 'Info' | 'Warning' = 'Info',
  ) {}
}

export function isWait(value: unknown): value is Wait {
  return value instanceof Wait;
}
