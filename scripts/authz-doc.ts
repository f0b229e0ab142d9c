import fs from 'node:fs';
import path from 'node:path';
import { authorizationDoc } from '../test/authz/doc';

const file = path.resolve(__dirname, '../docs/authorization.md');
fs.writeFileSync(file, authorizationDoc());
console.log(`Wrote ${file}`);
