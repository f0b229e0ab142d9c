import fs from 'node:fs';
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { buildHubnetSchema, printHubnetSchema } from '../platform/graphql/schema';
import type { HubnetPubSub } from '../platform/pubsub';
import { entities } from './entities';
import { resolvers } from './resolvers';

export const SCHEMA_FILE = path.resolve(__dirname, '../../schema/schema.graphql');

/** Hubnet's executable schema: every resolver of every capability. */
export function hubnetSchema(pubSub?: HubnetPubSub): GraphQLSchema {
  // Every entity class is registered before building, so the emitted schema never depends on
  // which modules a particular entry point happened to import first.
  void entities;
  return buildHubnetSchema(resolvers, pubSub);
}

export function emittedSchemaText(): string {
  return printHubnetSchema(hubnetSchema());
}

export function writeSchemaFile(): string {
  const text = emittedSchemaText();
  fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
  fs.writeFileSync(SCHEMA_FILE, text);
  return SCHEMA_FILE;
}
