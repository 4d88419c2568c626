/**
 * Entry of projects-harness.html: the project components mounted on their own page with the
 * real engine worker, for the browser tests (and as a minimal projects-only studio) while the
 * main App is being rebuilt.
 */
import { mount } from 'svelte';
import Harness from './Harness.svelte';
import '../global.css';

const target = document.getElementById('app');
if (!target) throw new Error('The page has no #app element.');

/** The mounted harness. */
export default mount(Harness, { target });
