// The policy pack as run-policy-pack loads it (`require(program)`, the returned promise awaited), from the
// compiled pack: what policies/main.cjs does without registering tsx, since dist/policies is JavaScript.
// Only dist/gate/engine/pack-entry.cjs is ever run (see compiled.ts), with the pack's directory as cwd.
module.exports = import('../../policies/index.js');
