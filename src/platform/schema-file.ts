import fs from 'node:fs';
import path from 'node:path';
import { resolvers } from '../resolvers';
import { buildHubnetSchema, printHubnetSchema } from './graphql/schema';
import { createHubnetPubSub } from './pubsub';

export const SCHEMA_FILE = path.resolve(__dirname, '../../schema/schema.graphql');

export function emittedSchemaText(): string {
  // type-graphql wants a pub/sub once the schema has subscriptions; printing never publishes.
  return printHubnetSchema(buildHubnetSchema(resolvers, createHubnetPubSub()));
}

export function writeSchemaFile(): string {
  const text = emittedSchemaText();
  fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
  fs.writeFileSync(SCHEMA_FILE, text);
  return SCHEMA_FILE;
}
