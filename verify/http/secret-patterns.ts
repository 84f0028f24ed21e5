/** The curated secret shapes live with the redactor, which masks them in every report; the bundle scan finds them. */
export { DATABASE_URL, EXTRA_PATTERNS, type SecretPattern } from '../../report/secret-shapes.js';
