import { Entity, ManyToOne } from '@mikro-orm/core';
import { Organisation } from '../organisations/organisation.entity';
import { Child } from './child.entity';

/** Sibling links are stored in both directions so either side is one indexed lookup. */
@Entity({ tableName: 'child_sibling' })
export class ChildSibling {
  @ManyToOne({ entity: () => Child, primary: true })
  child!: Child;

  @ManyToOne({ entity: () => Child, primary: true, index: true })
  sibling!: Child;

  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;
}
