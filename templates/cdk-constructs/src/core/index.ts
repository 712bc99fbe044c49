// `fastgen g py#fast-api` adds `rest-api.js` / `http-api.js` when an API first needs them.
export * from './api/utils.js';
export * from './checkov.js';
export * from './lambda.js';
export * from './runtime-config.js';
export * from './user-identity.js';
