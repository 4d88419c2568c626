/**
 * Which column a column picker should offer first: the param's role (customer id, time,
 * quantity, …) matched against the input's column names by the guided start's name rules
 * (src/data/roles.ts). Pure; the inspector preselects it in a required picker and offers it as
 * a one-click suggestion in an optional one.
 */
import { nameMatch, type RoleName } from '../../data/roles.ts';

const PARAM_ROLES: Readonly<Record<string, RoleName>> = {
  customer: 'customer',
  customerColumn: 'customer',
  idColumn: 'customer',
  customerIdColumn: 'customer',
  staticIdColumn: 'customer',
  featuresIdColumn: 'customer',
  time: 'time',
  timeColumn: 'time',
  invoice: 'invoice',
  basketColumn: 'invoice',
  quantity: 'quantity',
  quantityColumn: 'quantity',
  positiveColumn: 'quantity',
  price: 'price',
  product: 'product',
  productColumn: 'product',
  productKey: 'product',
  category: 'category',
  countBy: 'event',
  labelColumn: 'label',
  label: 'label',
};

/** The role a column param plays, if it has one. */
export function paramRole(param: string): RoleName | undefined {
  return Object.hasOwn(PARAM_ROLES, param) ? PARAM_ROLES[param] : undefined;
}

/**
 * The column to suggest for a param whose value is empty or not among `columns`: an exact name
 * match for its role first, then a partial one; null when none matches or the value is fine.
 */
export function suggestColumn(param: string, value: string, columns: readonly string[]): { column: string; role: RoleName } | null {
  const role = paramRole(param);
  if (role === undefined || columns.includes(value)) return null;
  const exact = columns.find((c) => nameMatch(role, c) === 'exact');
  const part = exact ?? columns.find((c) => nameMatch(role, c) === 'part');
  return part === undefined ? null : { column: part, role };
}
