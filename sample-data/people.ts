/**
 * Fake personal data (names, e-mails, phones) and demographics for simulated customers,
 * drawn from small embedded lists. Embedded rather than @faker-js/faker because the lists
 * never change with a dependency update (the committed sample must stay byte-identical)
 * and cost about 1 µs per customer instead of faker's ~33 µs (measured in the README).
 */
import type { Rng } from '../src/ml/random.ts';

const FIRST_NAMES_FEMALE = [
  'Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Ivy', 'Lily', 'Isabella', 'Rosie', 'Sophia', 'Grace', 'Freya', 'Evie', 'Poppy', 'Ella',
  'Chloe', 'Emily', 'Sophie', 'Hannah', 'Jessica', 'Charlotte', 'Ruby', 'Alice', 'Daisy', 'Zara', 'Aisha', 'Priya', 'Fatima', 'Mei',
  'Anna', 'Laura', 'Sarah', 'Rachel', 'Helen', 'Claire', 'Joanne', 'Margaret', 'Susan', 'Patricia', 'Niamh', 'Siobhan', 'Eilidh',
] as const;

const FIRST_NAMES_MALE = [
  'Oliver', 'George', 'Noah', 'Arthur', 'Muhammad', 'Leo', 'Harry', 'Oscar', 'Archie', 'Henry', 'Theodore', 'Jack', 'Charlie',
  'Freddie', 'Alfie', 'Thomas', 'James', 'William', 'Samuel', 'Joshua', 'Daniel', 'Ethan', 'Jacob', 'Lucas', 'Adam', 'Ravi', 'Arjun',
  'Omar', 'Wei', 'David', 'Michael', 'Richard', 'Paul', 'Mark', 'Stephen', 'Peter', 'Andrew', 'Callum', 'Rhys', 'Euan', 'Declan',
] as const;

const FIRST_NAMES_OTHER = ['Alex', 'Sam', 'Jordan', 'Charlie', 'Robin', 'Jamie', 'Morgan', 'Riley', 'Avery', 'Quinn'] as const;

const LAST_NAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright', 'Thompson',
  'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Thomas', 'Clarke', 'Jackson', 'Wood', 'Harris', 'Edwards', 'Turner',
  'Martin', 'Cooper', 'Hill', 'Ward', 'Hughes', 'Moore', 'Clark', 'King', 'Harrison', 'Lewis', 'Baker', 'Lee', 'Allen', 'Morris',
  'Khan', 'Scott', 'Watson', 'Davis', 'Parker', 'James', 'Bennett', 'Young', 'Phillips', 'Richardson', 'Mitchell', 'Bailey',
  'Carter', 'Cook', 'Singh', 'Shaw', 'Bell', 'Collins', 'Morgan', 'Kelly', 'Begum', 'Miller', 'Cox', 'Hussain', 'Marshall',
  'Simpson', 'Price', 'Anderson', 'Adams', 'Wilkinson', 'Ali', 'Ahmed', 'Foster', 'Ellis', 'Murphy', 'Chapman', 'Mason', 'Gray',
  'Richards', 'Webb', 'Griffiths', 'Hunt', 'Palmer', 'Campbell', 'Holmes', 'Mills', 'Rogers', 'Barnes', 'Knight', 'Matthews',
  'Barker', 'Powell', 'Stevens', 'Kaur', 'Fisher', 'Butler', 'Dixon', 'Russell', 'Harvey', 'Pearson', 'Graham', 'Nguyen', 'Chen',
] as const;

/** Cities with rough population weights (the shop ships across the UK). */
const CITIES: readonly (readonly [string, number])[] = [
  ['London', 18], ['Birmingham', 6], ['Manchester', 6], ['Leeds', 4], ['Glasgow', 4], ['Liverpool', 3], ['Bristol', 3],
  ['Sheffield', 3], ['Edinburgh', 3], ['Cardiff', 2.5], ['Leicester', 2.5], ['Nottingham', 2.5], ['Newcastle', 2.5],
  ['Belfast', 2], ['Brighton', 2], ['Southampton', 2], ['Coventry', 2], ['Reading', 1.5], ['Oxford', 1.5], ['Cambridge', 1.5],
  ['York', 1.2], ['Aberdeen', 1.2], ['Norwich', 1.2], ['Exeter', 1], ['Swansea', 1], ['Plymouth', 1], ['Derby', 1], ['Bath', 0.8],
  ['Inverness', 0.5], ['Truro', 0.3],
];

/** Occupations of working-age customers; behaviour does not depend on them (demographics only). */
const OCCUPATIONS = [
  'Teacher', 'Nurse', 'Software Developer', 'Accountant', 'Sales Assistant', 'Engineer', 'Designer',
  'Electrician', 'Civil Servant', 'Chef', 'Marketing Manager', 'Doctor', 'Pharmacist', 'Driver', 'Administrator', 'Architect',
  'Solicitor', 'Researcher', 'Carer', 'Police Officer', 'Farmer', 'Photographer', 'Self-employed', 'Unemployed', 'Homemaker',
] as const;

const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example', 'post.example'] as const;

/** Demographics and fake personal data of one customer. */
export interface Person {
  /** Gender as recorded by the shop: "female", "male" or "other". */
  gender: 'female' | 'male' | 'other';
  /** Age in whole years at the cutoff. */
  age: number;
  /** Occupation from the embedded list. */
  occupation: string;
  /** City from the embedded list. */
  city: string;
  /** Full name "First Last". */
  name: string;
  /** E-mail on a reserved example domain (RFC 2606 / 6761), never a real mailbox. */
  email: string;
  /** UK mobile-style number "+44 7700 9xxxxx" (random digits). */
  phone: string;
}

/** Picks one element uniformly. */
function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[rng.int(items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

const CITY_TOTAL = CITIES.reduce((sum, [, w]) => sum + w, 0);

/** Draws a weighted city. */
function pickCity(rng: Rng): string {
  let u = rng.next() * CITY_TOTAL;
  for (const [city, weight] of CITIES) {
    u -= weight;
    if (u < 0) return city;
  }
  return 'London';
}

/** Draws a person whose age lies in [minAge, maxAge]; `serial` keeps e-mails unique. */
export function drawPerson(rng: Rng, minAge: number, maxAge: number, serial: number): Person {
  const g = rng.next();
  const gender = g < 0.49 ? 'female' : g < 0.97 ? 'male' : 'other';
  const first = gender === 'female' ? pick(rng, FIRST_NAMES_FEMALE) : gender === 'male' ? pick(rng, FIRST_NAMES_MALE) : pick(rng, FIRST_NAMES_OTHER);
  const last = pick(rng, LAST_NAMES);
  const age = minAge + rng.int(maxAge - minAge + 1);
  const occupation = age >= 66 && rng.next() < 0.85 ? 'Retired' : age <= 23 && rng.next() < 0.6 ? 'Student' : pick(rng, OCCUPATIONS);
  const city = pickCity(rng);
  const style = rng.int(3);
  const local =
    style === 0 ? `${first}.${last}` : style === 1 ? `${first[0] ?? 'x'}${last}` : `${first}${last[0] ?? 'x'}`;
  const email = `${local.toLowerCase().replace(/[^a-z0-9.]/g, '')}${serial}@${pick(rng, EMAIL_DOMAINS)}`;
  const phone = `+44 7700 9${String(rng.int(100000)).padStart(5, '0')}`;
  return { gender, age, occupation, city, name: `${first} ${last}`, email, phone };
}
