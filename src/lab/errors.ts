// Errors of the local management plane that a person can act on: each message says what failed and what to do.

export class LabError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The Go toolchain is needed to build kube-apiserver and etcd once per machine. */
export class GoMissingError extends LabError {
  constructor(goCommand: string) {
    super(
      `Go toolchain not found ("${goCommand}" could not be run). Install Go (the version named in ` +
        'tools/mgmt-plane/go.mod or newer) and put `go` on PATH, or set CAPI_DCS_GO to its path.',
    );
  }
}

export class OpensslMissingError extends LabError {
  constructor() {
    super('The `openssl` command was not found; it makes the lab certificates. Install OpenSSL and put it on PATH.');
  }
}

/** `go build` failed; the message carries the command and the end of its output. */
export class BuildError extends LabError {
  constructor(
    readonly command: string,
    readonly outputTail: string,
  ) {
    super(`Building the management-plane binaries failed.\n  command: ${command}\n${indent(outputTail)}`);
  }
}

export class PortInUseError extends LabError {
  constructor(
    readonly port: number,
    readonly purpose: string,
  ) {
    super(
      `Port ${port} on 127.0.0.1 (${purpose}) is already in use by another process. ` +
        'Stop that process, choose another port, or leave the port unset to pick a free one.',
    );
  }
}

/** Another running management plane owns the data folder the caller asked for. */
export class DataDirInUseError extends LabError {
  constructor(dataDir: string, ownerPid: number) {
    super(`Data folder ${dataDir} belongs to a management plane that is still running (pid ${ownerPid}); stop it or use another folder.`);
  }
}

/** A server process exited or did not become ready in time; the message has the end of its log. */
export class StartupError extends LabError {
  constructor(what: string, logPath: string, logTail: string) {
    super(`${what}\n  log: ${logPath}\n${indent(logTail)}`);
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
