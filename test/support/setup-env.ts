import 'reflect-metadata';

process.env.NODE_ENV = 'test';
process.env.TZ = process.env.TZ ?? 'America/New_York'; // a server zone that is not London, on purpose
