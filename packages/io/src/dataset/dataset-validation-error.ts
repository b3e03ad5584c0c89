/**
 * Bad input data: the message says what is wrong, where (file, column, 1-based data row) and what is
 * allowed. Retrying cannot fix it — the runtime fails the job at once.
 */
export class DatasetValidationError extends Error {
  override readonly name = 'DatasetValidationError';
  readonly file: string;
  readonly column?: string;
  readonly row?: number;

  constructor(message: string, where: { file: string; column?: string; row?: number }) {
    super(message);
    this.file = where.file;
    if (where.column !== undefined) this.column = where.column;
    if (where.row !== undefined) this.row = where.row;
  }
}
