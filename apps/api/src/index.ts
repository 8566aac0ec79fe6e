export * from './bootstrap.js';
export * from './app.module.js';
export * from './demo/seed.js';
export * from './demo/demo-data.js';
export * from './plugins.js';
