// Errors the simulator answers with: an HTTP status plus the DCS body {errorCode, errorDes}.

import { DcsCodes } from '../shared/dcs/errors';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const invalid = (message: string): ApiError => new ApiError(400, DcsCodes.invalidRequest, message);
export const notFound = (message: string): ApiError => new ApiError(404, DcsCodes.notFound, message);
export const wrongState = (message: string): ApiError => new ApiError(409, DcsCodes.wrongState, message);
export const noSpace = (message: string): ApiError => new ApiError(507, DcsCodes.insufficientSpace, message);
