/** Entry point of the studio page. */
import { mount } from 'svelte';
import '@xyflow/svelte/dist/style.css';
import App from './App.svelte';
import './global.css';

const target = document.getElementById('app');
if (!target) throw new Error('The page has no #app element.');

/** The mounted studio. */
export default mount(App, { target });
