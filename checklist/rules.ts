import { linear } from './linear.js';

/**
 * How a checklist item written by a person maps to catalogue controls: by its words and the headings and
 * parent items it sits under, never by where it stands in a known file, so checklists never seen before
 * map too. Precision matters more than reach: an item mapped to a control that passes gets ticked, so a
 * rule must only match wording that claims what the control checks. Anything unmatched stays manual.
 *
 * Texts are matched in lower case, without Markdown emphasis or code marks (mapping.ts).
 */
export interface Rule {
  readonly control: string;
  /** Matches the item's own words. */
  readonly item: RegExp;
  /** Must also match the item with its parent items and headings: generic wording made specific by where it stands. */
  readonly within?: RegExp;
  /** Item wording that matches `item` but means something else. */
  readonly unless?: RegExp;
  /** Headings or parent items under which the wording means something else. */
  readonly outside?: RegExp;
}

/** A part of a checklist whose items all mean one thing, whatever their words. */
export interface SectionRule {
  /** Matches the nearest two headings and the parent items. */
  readonly section: RegExp;
  /** The controls every item there maps to; none means the items are for people to judge. */
  readonly controls: readonly string[];
  /** What explain says of the items there. */
  readonly why: string;
  /** Items there that another control judges, by their own words ("Site down" under alert thresholds: the uptime check). */
  readonly except?: readonly { readonly item: RegExp; readonly controls: readonly string[]; readonly why: string }[];
}

/** Checked before the rules; the first match decides. */
export const SECTIONS: readonly SectionRule[] = ([
  // Conditions that call for a decision (roll back or not) and sign-offs are a person's call.
  { section: /\bwhen to roll ?back\b|\broll ?back if\b|\bsign-?off\b|\bapprov(?:al|ed by)\b/, controls: [], why: 'a decision or sign-off is a person\'s call' },
  // Steps of an incident scenario are remediation to carry out, not states to tick.
  { section: /\bscenario \d+\b|\bemergency\b|\bincident response\b|\broll ?back (?:plan|steps|procedures?)$/, controls: [], why: 'steps of an incident are remediation to carry out, not states to tick' },
  // Events that are only logged are not alert rules.
  { section: /\blog only\b/, controls: [], why: 'events that are only logged are not alert rules' },
  // Recurring work (a schedule of daily, weekly… tasks) is done by people again and again, not ticked once.
  { section: /\b(?:daily|weekly|monthly|quarterly|annually|yearly)\b:?$|\bmaintenance schedule\b|(?:^|› )ongoing(?: ›|$)|\b(?:daily|weekly|monthly) checks\b|\brotation schedule\b|\bregular (?:\w+ )?tasks\b/, controls: [], why: 'recurring work is done by people on a schedule, not ticked once' },
  // Under an alerts heading or item, "Database unreachable" names an alert condition, not a state to tick.
  { section: /\balert thresholds?\b|\balerts? (?:are )?configured for\b|\balert (?:on|when|conditions|rules)\b|\bpage immediately\b/, controls: ['monitoring.alerts'], why: 'an item there names an alert condition, checked by the alert rules',
    except: [{ item: /\bsite (?:is )?down\b|\boutages?\b|\bdowntime\b|\bsite unreachable\b/, controls: ['monitoring.uptime'], why: 'an outage is caught by the external uptime check, which alerts a channel' }] },
] satisfies SectionRule[]).map((s) => ({ ...s, section: linear(s.section) }));

/**
 * Work for people, whatever system it mentions: open-ended work (monitor, review, analyse, plan, decide…),
 * steps in a console (copy, click, sign up…), recurring or conditional tasks, and judgements of a trend,
 * a business fit or "optimized"-ness. Read on the item's words after a bold label ("**Monthly**: Rotate…").
 */
export const PEOPLE_TASK = linear(
  /^(?:[\w /&-]{1,40}(?::| -) )?(?:document|consider|plan|prepare|gather|communicate|notify|inform|alert (?:the )?team|announce|train|update team|monitor|review|analy[sz]e|track|watch|decide|assess|evaluate|investigate|tune|adjust|audit|brainstorm|discuss|check for|check (?:the )?(?:vercel |stripe |upstash |supabase )?(?:dashboard|analytics|storage)|copy|click|go to|log ?in(?:to)?|sign up|sign in|toggle|select your|open|edit|save|wait|visit|install|implement|write|extract|refactor|fix|push|import|authorize|create (?:an? )?account|(?:daily|weekly|monthly|quarterly|annually|yearly|immediately|regularly)\b)\b|\btrends?\b|\btrending\b|\beffectiveness\b|\boptimi[sz](?:ed|ation)\b|\bbusiness model\b|\bstable or improving\b|\bif (?:needed|necessary|changed|compromised)\b|\bteam informed\b|\bregular(?:ly)?\b/,
);

/** A developer's machine: what is set there says nothing of production. */
export const LOCAL_ONLY = linear(/\.env\.local\b|\blocal environment\b|\blocally\b|\bon localhost\b/);

/** Where variables live other than Vercel's environment (which the env.* checks read). */
export const ELSEWHERE = linear(
  /\b(?:railway|render|netlify|heroku|fly\.io|amplify|cloud run|doppler|github secrets|kubernetes secrets)\b|\bsupabase (?:secrets|dashboard|edge functions?|functions?)\b|\bedge functions?\b.*\bsecrets\b/,
);

const ENV_CONTEXT = /\benvironment variables?\b|\benv(?:ironment)? vars?\b|\b(?:required|public|private) variables\b|\.env\b|\b(?:to|in) vercel\b|\bin production\b|\bproduction environment\b/;
const REDIS_CONTEXT = /\bredis\b|\bkv\b|\bupstash\b|\belasticache\b|\bcache\b/;
const STRIPE_CONTEXT = /\bstripe\b|\bbilling\b|\bpayments?\b/;
const DB_CONTEXT = /\bdatabase\b|\bpostgres(?:ql)?\b|\bsupabase\b|\bdb\b/;
/** An item that is an env var name, as in "`POSTGRES_URL` - connection string", "NODE_ENV=production" or "Set `KV_URL` in production". */
const ENV_NAME = /^(?:(?:add|set|update|configure|check|verify)\s+)?[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b(?![.(])/;
/** Prefixes under which frameworks expose a variable to the browser: `NEXT_PUBLIC_SUPABASE_URL` is the Supabase URL. */
const PUBLIC = String.raw`(?:next_public_|react_app_|vite_|public_|expo_public_)?`;
const v = (names: string) => new RegExp(String.raw`\b${PUBLIC}(?:${names})\b`);

export const RULES: readonly Rule[] = ([
  // env: Vercel environment variables
  { control: 'env.required-vars', item: ENV_NAME, within: ENV_CONTEXT },
  { control: 'env.required-vars', item: /^(?:add(?:ed)? to|set in) vercel\b.*\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\benvironment variables\b.*\b(?:set|added|configured|loaded|present|entered|correct|auto-populated)\b|\bverify (?:kv )?environment variables\b|\b(?:set(?: up)?|add(?:ed)?|update|configure)\b(?: all| the)?(?: proper)?(?: production)? (?:to )?(?:vercel )?environment variables\b|\bsecrets are in vercel\b/, unless: /\bdocumented\b|\.env\.example\b|\bscopes?\b|\bexposed\b|\bencrypted\b|\bbuild time\b/ },
  { control: 'env.secret-strength', item: /\b(?:auth_secret|nextauth_secret|jwt_secret|api_key_secret|session_secret)\b|\bsecrets?\b.*\b(?:strong|random)\b|\b32\+? ?char(?:acter)?s?\b.*\bsecret\b/, unless: /\brotat|\bjwt secret is\b/ },
  { control: 'env.secret-rotation', item: /\brotat(?:e|ed|es|ion|ing)\b/, within: /secret|\bkeys?\b|salt|credential|token/, unless: /^test\b|\bschedule\b|\bexposed\b|\brefresh token\b/ },
  { control: 'env.secrets-manager', item: /\bsecrets? manager\b|\bvault\b|\bsensitive env/ },
  { control: 'env.production-mode', item: /\bnode_env\b|\bbilling_mode\b/ },
  { control: 'env.app-url', item: v('app_url|site_url|base_url|nextauth_url') },
  { control: 'env.database-url', item: /\bpostgres_url\b|\bdatabase_url\b/ },
  { control: 'env.database-url', item: /\b(?:add|added) to vercel environment variables\b/, within: /\bneon\b|\bpostgres|\bdatabase\b/, outside: /\bredis\b|\bupstash\b/ },
  { control: 'env.redis-url', item: /\bredis_url\b|\bkv_url\b|\bkv_rest_api_(?:url|token|read_only_token)\b|\bupstash_redis_rest_(?:url|token)\b/ },
  { control: 'env.redis-url', item: /\b(?:add|added) to vercel environment variables\b/, within: /\bredis\b|\bupstash\b/, outside: /\bverification\b/ },
  { control: 'env.stripe-secret-key', item: /\bstripe_secret_key\b|\bsk_live_/ },
  { control: 'env.stripe-publishable-key', item: v('stripe_publishable_key|stripe_public_key') },
  { control: 'env.stripe-publishable-key', item: /\bpk_live_/ },
  { control: 'env.stripe-webhook-secret', item: /\bstripe_webhook_secret\b|\bwhsec_|\bwebhook (?:signing )?secret\b/ },
  { control: 'env.stripe-price-ids', item: /\bstripe_\w*price\w*\b|\bprice ids?\b/, unless: /\bmissing\b|\bdiag\b/ },
  { control: 'env.sentry-dsn', item: v('sentry_dsn') },
  { control: 'env.supabase-keys', item: v('supabase_(?:url|anon_key|service_role_key|service_key|publishable_key|secret_key)') },
  { control: 'env.admin-emails', item: /\badmin[_ ]emails\b/ },
  { control: 'env.feature-flags', item: /\bfeature flags?\b/ },
  { control: 'env.bcrypt-rounds', item: /\bbcrypt[_ ]rounds\b/ },
  { control: 'env.targets', item: /\bvariables?\b.*\b(?:checked for|scopes?)\b|\bcheck variable scopes\b/, unless: /\bpreview\b/ },

  // pg: Postgres
  { control: 'pg.instance', item: /\b(?:neon|supabase|postgres(?:ql)?) project (?:is )?created\b|\bcreate (?:a )?(?:new )?(?:production )?(?:postgres(?:ql)? )?database on\b|\b(?:set up|create)\b.*\bproduction (?:postgres(?:ql)?|database)\b|\b(?:prod|production) (?:database|db|postgres(?:ql)?) (?:is )?created\b|\bproduction (?:postgres(?:ql)?|database|supabase) (?:instance|project|database)\b|\bsupabase production (?:project|database)\b/ },
  { control: 'pg.connectivity', item: /\bdatabase (?:connections?|connectivity)\b|\b(?:database|postgres(?:ql)?) (?:is )?(?:accessible|reachable|answers|responds)\b|\bselect 1\b/, unless: /\bstrings?\b|\burl\b|\bpool\b|\bissues?\b|\bsqlite\b|\bmonitoring\b/, outside: /\bredis\b|\bupstash\b|\bkv\b/ },
  { control: 'pg.connectivity', item: /\bboth connections (?:tested|work)/, within: /\bdatabase\b|\bpostgres|\bneon\b/ },
  { control: 'pg.migrations', item: /\bmigrations?\b/, within: DB_CONTEXT, unless: /\broll ?back\b|\breview\b|\bmigrate dev\b|\bin staging\b|\bworkflow\b|\btooling\b/ },
  { control: 'pg.schema.tables', item: /\brequired tables\b|\btables? (?:exists?|are created)\b/ },
  { control: 'pg.schema.tables', item: /^[a-z_][a-z0-9_.]*$/, within: /\btables? (?:exists?|are created)\b|\brequired tables\b/ },
  { control: 'pg.schema.functions', item: /\bdatabase functions\b|\b(?:sql|postgres|rpc) functions\b/ },
  { control: 'pg.indexes', item: /\bindex(?:es)?\b/, within: DB_CONTEXT, unless: /\bsearch index\b/ },
  { control: 'pg.indexes', item: /\bindex(?:es)? (?:exist|are (?:present|in place|optimi[sz]ed))\b/ },
  { control: 'pg.indexes', item: /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, within: /\bindex(?:es)?\b/ },
  { control: 'pg.rls', item: /\brls\b|\brow[- ]level security\b/, unless: /^test\b|\brespect\b|\bonly used\b|\bbypass\b|\bdefault deny\b|\bisolation\b/ },
  { control: 'pg.connection-pooling', item: /\bconnection pool(?:ing|er)?\b|\bpooler\b|\bpgbouncer\b|\bsupavisor\b|\brds proxy\b/, unless: /\bexhaust|\busage\b|\bcheck connection pool\b/ },
  { control: 'pg.backups.enabled', item: /\b(?:automated|automatic|daily|nightly)\b.*\bbackups?\b|\bbackups? (?:are |is )?(?:enabled|configured|scheduled)\b|\bset up (?:database )?backups\b|\bdatabase backups\b|\bpoint[- ]in[- ]time recovery\b|\bpitr\b|\bbackup strategy (?:is )?(?:in place|implemented)\b/, unless: /\brestor|\btest\b|\bcompletion\b|\brunning\b|\bencrypt|\bverification\b|\bretention\b/ },
  { control: 'pg.backups.retention', item: /\bbackups?\b.*\bretention\b|\bretention\b.*\bbackups?\b|\bbackups? (?:are )?(?:kept|retained) for\b/ },
  { control: 'pg.backups.recent', item: /\bbackups? (?:completion|completed|are running|are available|verification)\b|\bverify backups?\b|\brecent backups?\b/, unless: /\brestor/ },
  { control: 'pg.backups.restore-test', item: /\brestor(?:e|ation)\b.*\b(?:tests?|process|procedure)\b|\btest\b.*\brestor(?:e|ation)\b|\bbackup and recovery tested\b/, within: /\bbackups?\b|\bdatabase\b|\bdisaster\b/, unless: /\bredis\b/ },
  { control: 'pg.encryption-at-rest', item: /\bencrypt(?:ed|ion)? at rest\b/, unless: /\benvironment variables\b|\bpii\b|\bsensitive data\b/ },
  { control: 'pg.network-access', item: /\b(?:database|db)\b.*\bnot publicly accessible\b|\b(?:database|db) access (?:is )?restricted\b|\bno direct database access from (?:the )?public internet\b|\brestricted by ip\b|\bip allow-?list\b|\bnetwork restrictions\b/ },
  { control: 'pg.credentials', item: /\bdatabase credentials\b|\bdatabase passwords?\b/ },
  { control: 'pg.grants.least-privilege', item: /\bminimal privileges\b|\bleast[- ]privilege\b/ },
  { control: 'pg.grants.append-only', item: /\bupdate\/delete\b|\bappend-only\b|\bimmutab/, within: /\baudit|\bledger\b|\busage\b/ },
  { control: 'pg.grants.append-only', item: /\bmust not allow update or delete\b|\bno update or delete\b/ },
  { control: 'pg.read-replica', item: /\bread replicas?\b/, unless: /\bredis\b/ },
  { control: 'pg.query-latency', item: /\b(?:database )?query (?:time|latency|response time)\b|\bdatabase queries are fast\b|\bquer(?:y|ies)\b.*\b(?:under|below)\s*\d+\s*ms\b/ },
  { control: 'pg.data.credentials-hashed', item: /\bhashed\b|\bhashing\b/, within: /\bpasswords?\b|\bapi keys?\b|\bcredentials?\b/ },
  { control: 'pg.audit-chain-integrity', item: /\baudit chain\b|\bhash chain\b|\baudit:verify\b/, unless: /\breview\b/ },

  // redis: Redis / Vercel KV
  { control: 'redis.instance', item: /\bcreate (?:a )?(?:new )?(?:production )?redis database\b|\bredis database (?:is )?(?:created|active)\b|\b(?:set up|create|provision)\b.*\bproduction (?:redis|kv)\b|\b(?:upstash )?redis is configured\b|\bkv database (?:is )?created\b/ },
  { control: 'redis.connectivity', item: /\b(?:redis|kv)\b.*\b(?:connection|connected|connectivity|reachable)\b|\bredis (?:cache )?is working\b/, unless: /\bstrings?\b|\bfailures?\b|\burl\b|\bnot configured\b|\bdatabase active\b/ },
  { control: 'redis.connectivity', item: /\b(?:test|verify) (?:the )?(?:production )?database connection\b/, within: /\bredis\b|\bupstash\b/, outside: /\bpostgres|\bneon\b|\bsupabase\b|\bsqlite\b/ },
  { control: 'redis.connectivity', item: /\bboth connections (?:tested|work)/, within: /\bredis\b|\bupstash\b/ },
  { control: 'redis.persistence', item: /\bpersistence\b|\baof\b|\brdb\b/, within: REDIS_CONTEXT },
  { control: 'redis.eviction-policy', item: /\beviction policy\b|\bmax ?memory[- ]policy\b|\ballkeys-(?:lru|lfu)\b|^eviction: enabled\b/ },
  { control: 'redis.maxmemory', item: /\bmax ?memory\b(?![- ]policy)(?!: ?policy)/, within: REDIS_CONTEXT },
  { control: 'redis.tls', item: /\btls\b|\bencryption\b|\brediss\b/, within: REDIS_CONTEXT, unless: /\bcertificate\b|\bat rest\b/ },
  { control: 'redis.ha', item: /\bsentinel\b|\bcluster\b|\bhigh availability\b|\bfailover\b/, within: /\bredis\b/, unless: /\bmigrate\b/ },
  { control: 'redis.ttl', item: /\bttl\b|\bexpiry\b|\bexpire\b/, within: REDIS_CONTEXT, unless: /\bssl\b|\bdomain\b|\bevictions\b/ },
  { control: 'redis.usage', item: /\b(?:redis|kv)\b.*\b(?:usage|memory)\b|\bstorage usage\b|\bdaily commands\b|\bwithin (?:the )?(?:free tier|plan limits)\b/, unless: /\bcosts?\b/ },
  { control: 'redis.cache-hit-rate', item: /\b(?:cache )?hit rates?\b/, unless: /\balerts?\b|^check\b/ },
  { control: 'redis.latency', item: /\blatency\b/, within: REDIS_CONTEXT, unless: /\bapi\b|\bresponse\b|\bnetwork\b/ },
  { control: 'redis.evictions', item: /\bevictions\b|\bno (?:key )?evictions?\b|\bevicted\b/, unless: /\bpolicy\b|\benabled\b/ },

  // stripe
  { control: 'stripe.products-prices', item: /\bproducts?\b|\bmetered price\b|\bpricing configuration\b/, within: STRIPE_CONTEXT, unless: /\bprice ids?\b|_price|\bproduct manager\b|\bmatches\b/ },
  { control: 'stripe.products-prices', item: /\$\d+(?:\.\d+)?\s*\/\s*(?:month|year|mo)\b/, within: /\bproducts?\b|\bprices?\b/, unless: /\bcosts?\b/ },
  { control: 'stripe.webhook.endpoint', item: /\bwebhook endpoint\b|\badd endpoint\b|\bwebhook (?:is )?registered\b|\b(?:live )?webhook (?:created|added)\b/, within: STRIPE_CONTEXT, unless: /\bsecured\b|\breachable\b|\bresponds\b/ },
  { control: 'stripe.webhook.endpoint', item: /^(?:endpoint )?url:|^enter (?:the )?url:/, within: /\bwebhook\b/ },
  { control: 'stripe.webhook.events', item: /\bselect events\b|\bwebhook events selected\b|\bevents selected\b|\bsubscribed events\b|\benabled events\b|\bwebhook\b.*\bsubscribed to\b.*\bevents\b/ },
  { control: 'stripe.webhook.delivery', item: /\bwebhooks? deliver(?:y|ies|ing)\b|\bwebhook (?:is )?receiv(?:es|ing) events\b|\bdelivery (?:success )?rates?\b|\bwebhook\b.*\bdelivers successfully\b/, unless: /\bemail\b/ },
  { control: 'stripe.account.live', item: /\bbusiness verification\b|\bactivate (?:the |your )?account\b/, within: STRIPE_CONTEXT },
  { control: 'stripe.account.live', item: /\blive mode (?:is )?activated\b|\bstripe account (?:is )?(?:fully )?verified\b|\bbank account connected for payouts\b|\bpayouts? (?:are )?enabled\b|\bcharges and payouts\b|\bstripe account is in production mode\b|\bproduction stripe account\b|\bstripe account (?:is )?activated\b|\bcheckout in production mode\b/ },
  { control: 'stripe.payment-methods', item: /\bpayment methods?\b/, within: /\bstripe\b|\bcheckout\b|\bcards?\b|\bwallets?\b/, unless: /\bpayment method added\b/ },
  { control: 'stripe.tax-rates', item: /\btax rates?\b|\bstripe tax\b/ },
  { control: 'stripe.billing-portal', item: /\bbilling portal\b|\bcustomer portal\b/ },
  { control: 'stripe.payments-flowing', item: /\bpayments? (?:are )?processing\b|\bfirst real payment\b|\bpayments? (?:are )?(?:flowing|succeeding)\b/ },
  { control: 'stripe.usage-reporting', item: /\busage (?:is being )?reported to stripe\b|\busage records?\b|\busage reporting\b/, unless: /\bdeduplication\b/ },

  // http: the deployed site
  { control: 'http.site-reachable', item: /\bhomepage loads\b|\b(?:website|site) (?:is )?accessible\b|\bpricing page loads\b|\b(?:site|application|app|frontend) is (?:accessible|loading|up|reachable)\b/, unless: /\bmultiple locations\b/ },
  { control: 'http.api-smoke', item: /\bapi endpoints? (?:respond|are (?:working|responding|accessible))\b|\btest api endpoints\b|^(?:get|post|put|patch|delete) \/\S+/, unless: /\bonly\b|\brequires auth|\(with auth\)|^post \/\S*webhook/ },
  // "`GET /api/subscription/status` (with auth)" is the signed-in request of http.auth-protected-routes (below).
  // "`POST /api/webhooks/stripe` (test mode)": the signed test event http.webhook.endpoint posts there.
  { control: 'http.webhook.endpoint', item: /^post \/\S*webhook/ },
  { control: 'http.health', item: /\bhealth (?:check|endpoint)s?\b|\/api\/health\b|\bliveness\b|\breadiness\b|\bservices are (?:running|healthy)\b|\bsystem health\b/, outside: /\blitellm\b/ },
  { control: 'http.https-redirect', item: /\ball connections use https\b|\buse https everywhere\b|\bhttps (?:is )?(?:enabled|enforced|only)\b|\bhttps only\b|\bredirect(?:s|ed)? to https\b|\benable https\b/, unless: /\bwebhook\b/ },
  { control: 'http.tls-certificate', item: /\b(?:ssl|tls) cert(?:ificate)?s?\b|\bcertificate chain\b/ },
  { control: 'http.www-redirect', item: /\bwww\b.*\bredirect|\bredirect\b.*\bwww\b|\bapex redirect\b/ },
  { control: 'http.security-headers', item: /\bsecurity headers\b|\bhelmet\b|\bx-frame-options\b|\bstrict-transport-security\b|\bhsts headers?\b|\bcontent security policy headers?\b/, unless: /\baudit\b/ },
  { control: 'http.cors', item: /\bcors\b|\bwildcard\b.*\borigins?\b|\bpreflight requests?\b/, unless: /\bin supabase\b|\blocalhost\b|\bcsrf\b/ },
  { control: 'http.rate-limit', item: /\brate limit(?:ing|s)?\b|\bx-ratelimit\b/, unless: /\bper (?:tier|tenant)\b|\bdifferent limits\b|\bdefaults\b|\btune\b|\bexhaustion\b|\bfor rate limiting\b|\bviolations?\b|\btriggers?\b|\bpatterns?\b|\bhits\b|\butility\b|\bafter updates\b|\bedge function\b|\bpolicies\b|\balerts?\b|\bapi routes with\b/ },
  { control: 'http.rate-limit.per-identity', item: /\bdifferent limits per\b|\brate limit(?:ing|s)? per (?:tier|tenant|user)\b/ },
  { control: 'http.webhook.endpoint', item: /\bwebhook signature\b|\bsignature verification\b|\bwebhook endpoints? (?:are |is )?(?:secured|reachable)\b|\bwebhook endpoint responds\b/, unless: /\bin (?:the )?logs\b|\bfailed\b/ },
  { control: 'http.auth-protected-routes', item: /\bprotecting routes\b|\bprotected routes\b|\(with auth\)|\broutes require authentication\b/ },
  { control: 'http.session-cookie-flags', item: /\bsession (?:tokens?|cookies?)\b.*\b(?:secure|httponly)\b|\bhttponly\b|\bcookie settings (?:are )?secure\b/ },
  { control: 'http.client-bundle-secrets', item: /\bclient-?side code\b|\b(?:client|js|javascript) bundle\b|\bsecrets? in (?:the )?(?:browser|bundle)\b|\bnever (?:exposed|leaked) to (?:the )?client\b|\bnever in client code\b|\bnot exposed in client code\b/, unless: /\bonly used\b/ },
  { control: 'http.error-leakage', item: /\b(?:secrets?|sensitive data|stack traces?) in error (?:messages|responses)\b|\berror (?:messages|responses) (?:do not )?leak\b/ },
  { control: 'http.cdn-caching', item: /\bcdn\b/ },
  { control: 'http.compression', item: /\bcompression\b|\bgzip\b|\bbrotli\b/, unless: /\bcache compression\b|\bpayloads\b/ },
  { control: 'http.api.models', item: /~?\b\d+ models\b|\bmodels list endpoint\b|\bmodel api\b|\bmodel discovery working\b/, unless: /\bcache\b/, outside: /\blitellm\b/ },

  // perf
  { control: 'perf.models-cache-latency', item: /\bcach(?:e|ing)\b.*(?:<\s*500\s*ms|second request)|\bmodel api cache\b/ },
  { control: 'perf.web-vitals', item: /\bpage load\b|\blighthouse\b|\bfirst contentful paint\b|\btime to interactive\b|\bpage load time\b|\bweb vitals\b|\blargest contentful paint\b/ },
  { control: 'perf.api-latency', item: /\bapi response times?\b/, unless: /\b(?:tracked|monitored)\b/, outside: /\bmetrics to track\b|\bapplication health\b/ },

  // vercel
  { control: 'vercel.project', item: /\bcreate (?:a )?new project\b/, within: /\bvercel\b/ },
  { control: 'vercel.project', item: /\bproject (?:is )?linked\b|\bvercel link\b|\bproject (?:created|exists)\b/, unless: /\bneon\b|\bsupabase\b|\bsentry\b|\bproduction project\b/ },
  { control: 'vercel.git-integration', item: /\bconnect (?:the |your )?github repo(?:sitory)?\b/, within: /\bvercel\b/ },
  { control: 'vercel.git-integration', item: /\bgithub integration\b|\bgit integration\b|\bauto-deploy on push\b|\bdeployment pipeline\b/ },
  { control: 'vercel.deployment.ready', item: /\bverify (?:the )?production deployment\b|\b(?:production )?deployment (?:is )?successful\b|\bstatus: ready\b|\bbuild succeeded on vercel\b/ },
  { control: 'vercel.deployment.ready', item: /\bno build errors\b/, within: /\bvercel\b/, unless: /\blocal/ },
  { control: 'vercel.logs.marker', item: /\bdeployment logs:? show\b|\blogs contain\b|\blogs for\b.*\bmessages\b/ },
  { control: 'vercel.logs.no-errors', item: /\bfunction logs\b|\bno error spikes\b|^check (?:error )?logs\b|\berrors? in (?:the )?logs\b|\bzero (?:critical )?errors\b|\bzero\b.*\berrors in (?:the )?logs\b/, unless: /\bbuild\b|\btypescript\b/ },
  { control: 'vercel.domain', item: /\bcustom domain\b|\bproduction domain is configured\b|\bdomain is verified\b/, unless: /\bemail\b|\bresend\b/ },
  { control: 'vercel.firewall', item: /\bwaf\b|\bweb application firewall\b|\bfirewall\b/ },
  { control: 'vercel.staging-environment', item: /\bstaging environment\b/, unless: /^test\b|\bin (?:the )?staging environment\b/ },
  { control: 'vercel.rollback-target', item: /\bprevious (?:version|deployment)\b.*\b(?:tagged|available|accessible)\b/ },

  // dns
  { control: 'dns.records', item: /\bdns records\b|\bdns is pointing\b|\ba record\b|\bcname\b/ },
  { control: 'dns.mx-records', item: /\bmx records?\b/ },
  { control: 'dns.propagation', item: /\bdns propagation\b|\bfrom multiple locations\b/ },
  { control: 'dns.domain-registration', item: /\bdomain (?:is )?(?:purchased|registered)\b|\bdomain registration\b|\bdomain expir/ },

  // repo
  { control: 'repo.no-committed-secrets', item: /\bsecrets?\b.*\bnot in (?:version control|git|code|the repo)\b|\bno (?:real )?(?:secrets|credentials) in (?!error)|\bcontains no real credentials\b|\b(?:secrets?|api keys|keys|credentials)\b.*\bcommitted\b|\bcommit(?:ted)? secrets\b|\bsecrets?\b.*\bgit history\b|\bgitleaks\b|\btrufflehog\b/ },
  { control: 'repo.gitignore-env', item: /\.env\.local\b.*\b(?:committed|gitignore|ignored)\b|\.gitignore\b/, unless: /\.env\.(?:production|development|test)\b/ },
  { control: 'repo.gitignore-env', item: /\bdo not commit (?:this|the) file\b/, within: /\.env\b/ },
  { control: 'repo.env-example-complete', item: /\.env\.example\b/, unless: /\bno (?:real )?(?:secrets|credentials)\b|\bplaceholders\b/ },
  { control: 'repo.dependency-audit', item: /\bvulnerable dependencies\b|\bdependency (?:audit|vulnerability scan)\b|\bnpm audit\b|\bpnpm audit\b/ },

  // ci
  { control: 'ci.checks-passing', item: /\b(?:all )?tests must pass\b|\btests? (?:are )?(?:pass|passing|passed)\b|\bno typescript errors\b|\btype-?check passing\b|\blint(?:ing)? (?:passed|errors)\b|\bno linting errors\b|\bbuild succeeds\b|\bbuilds successfully\b|\brun (?:full test suite|e2e tests)\b|\bpublication gate checks\b/, unless: /\bdocker\b|\bin ci\b|\bload test\b|\bverification\b|\bsecurity tests\b/, outside: /\btest preview\b|\bautomated verification\b|\bverification script\b/ },
  { control: 'ci.required-checks', item: /\bbranch protection\b|\brequired (?:status )?checks\b|\bchecks (?:pass )?in ci\b/ },

  // monitoring
  { control: 'monitoring.error-tracking', item: /\berror tracking\b|\bsentry\b|\berror monitoring (?:is )?active\b|\btest error reporting\b/, unless: /\bsentry_dsn\b|\brelease\b/ },
  { control: 'monitoring.logging', item: /\blog aggregation\b|\blog drain\b|\bconfigure logging\b|\blogs are being collected\b/ },
  { control: 'monitoring.uptime', item: /\buptime monitor(?:ing)?\b|\bpingdom\b|\buptimerobot\b|\bbetter uptime\b/ },
  { control: 'monitoring.alerts', item: /\balert(?:s|ing)?\b/, unless: /\bsecurity alerts\b|\bsuspicious\b|\babnormal\b|\bsupabase\b|\band tested\b/ },
  { control: 'monitoring.slo', item: /\bslos?\b|\bservice level objectives?\b/ },
  { control: 'monitoring.slo', item: /\buptime\b|\berror rate\b|\bresponse time\b|\bsuccess rate\b/, within: /\bapplication health\b/ },
  { control: 'monitoring.apm', item: /\bperformance monitoring\b|\bopentelemetry\b|\bapm\b|\bdistributed tracing\b/ },
  { control: 'monitoring.metrics', item: /\bset up error rate monitoring\b|\b(?:server|redis|infrastructure|custom|system) metrics\b|\bmetrics are (?:being )?(?:monitored|tracked|defined)\b/, outside: /\bbusiness\b/ },
  { control: 'monitoring.metrics', item: /\b(?:is|are) (?:being )?(?:tracked|monitored)\b/, within: /\bmonitoring\b/, outside: /\bbusiness\b/ },
  { control: 'monitoring.dashboards', item: /\bdashboards? (?:is|are) (?:created|working)\b|\bset up dashboards\b|\bmonitoring dashboards?\b/ },
  { control: 'monitoring.status-page', item: /\bstatus page\b/, unless: /\bcheck\b.*\bstatus page\b|\bupdate status page\b/ },

  // llm
  { control: 'llm.litellm.server', item: /\blitellm server\b|\bhealth monitoring\b/, within: /\blitellm\b/, unless: /\badded to (?:the )?database\b/ },
  { control: 'llm.litellm.registry', item: /\blitellm server is added to (?:the )?database\b|\blitellm_servers\b/, within: /\blitellm\b/, unless: /^[a-z_]+$/ },
  { control: 'llm.litellm.models', item: /\bat least \d+ models\b|\bmodels are configured\b/, within: /\blitellm\b/ },
  { control: 'llm.litellm.provider-keys', item: /\b(?:api )?keys for llm providers\b|\bprovider keys\b/ },
  { control: 'llm.vertex-ai', item: /\bvertex ai\b/ },

  // email, auth
  { control: 'email.sending-domain', item: /\bresend\b|\bsending domain\b|\bemail (?:service|provider) is (?:configured|working)\b/ },
  { control: 'auth.clerk-instance', item: /\bclerk\b|\bclerk_\w+/ },
  { control: 'auth.redirect-urls', item: /\bredirect urls\b/ },

  // platform, iac, workers
  { control: 'platform.container-image', item: /\bdocker image builds\b|\bimage is pushed\b|\bpushed to (?:the )?registry\b/ },
  { control: 'platform.k8s-workload', item: /\bkubernetes manifests\b|\bservices and ingress\b/ },
  { control: 'platform.k8s-secrets', item: /\bsecrets are created in (?:the )?cluster\b|\bkubernetes secrets\b/ },
  { control: 'platform.load-balancer', item: /\bload balancer\b/ },
  { control: 'platform.autoscaling', item: /\bauto-?scaling\b|\bhorizontal scaling\b/ },
  { control: 'iac.stack-converged', item: /\bresources are provisioned\b|\bno (?:infrastructure )?drift\b/ },
  { control: 'iac.stack-history', item: /\bconfiguration can be reverted\b/ },
  { control: 'worker.deployed', item: /\bdeploy\b.*\bworker\b|\bworkers? (?:are |is )?(?:deployed|running)\b/ },
  { control: 'worker.supervision', item: /\bworker\b.*\brestart polic(?:y|ies)\b/ },
] satisfies Rule[]).map((r) => ({
  ...r,
  item: linear(r.item),
  ...(r.within ? { within: linear(r.within) } : {}),
  ...(r.unless ? { unless: linear(r.unless) } : {}),
  ...(r.outside ? { outside: linear(r.outside) } : {}),
}));
