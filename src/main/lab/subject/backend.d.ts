/** Types for backend.js (plain JavaScript, started with no loader; see there). */

export type BackendToSubject =
  | { type: 'listening'; port: number; pid: number }
  /** every 100 ms: in flight now; answers since the last report and a sample of their times */
  | { type: 'report'; inFlight: number; answered: number; answerMs: number[] }
