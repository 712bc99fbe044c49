export * from './app/index.js';
export * from './core/index.js';
