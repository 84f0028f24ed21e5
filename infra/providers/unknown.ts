/** What the engine sends a dynamic provider for a value not known yet (the output of a resource not created yet, during preview). */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
