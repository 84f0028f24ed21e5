// The Pulumi CLI starts a Node.js policy pack with `require()` of this directory under its own ts-node,
// whatever PulumiPolicy.yaml says (pulumi/pulumi#4830): `typescript: false` and `nodeargs` are not
// passed on for policy packs. The pack is ESM TypeScript importing ../spec, so it registers tsx's ESM
// loader itself; run-policy-pack awaits the exported promise, so a load error fails the start.
module.exports = import('tsx/esm/api').then(({ register }) => {
  register();
  return import('./index.ts');
});
