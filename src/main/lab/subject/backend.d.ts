/** Types for backend.js (plain JavaScript, started with no loader; see there). */

export type BackendToSubject = { type: 'listening'; port: number; pid: number }
