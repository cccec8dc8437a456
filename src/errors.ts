// Errors that carry an HTTP status and a stable code; the error handler turns them into problem+json.

export interface FieldProblem {
  /** where the bad value is: "query.month", "body.desks[0].numbers[1]" */
  field: string
  message: string
}

export class AppError extends Error {
  override name = 'AppError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message)
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`)
export const conflict = (message: string, fields: FieldProblem[] = []) => new AppError(409, 'conflict', message, fields)
/**
 * Revisions of a desk file that break their contract's rule (docs/DESIGN.md, "Revisions"): each
 * field is named by its path in the desk file; a route prefixes where the file came from.
 */
export class RevisionRefused extends AppError {
  constructor(fields: FieldProblem[]) {
    super(400, 'revision_refused', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields)
  }
}

/** One wrong field, found after the schema passed (an unknown reference, a date in the future). */
export const invalidField = (field: string, message: string) =>
  new AppError(400, 'validation_failed', `${field}: ${message}`, [{ field, message }])
