#!/usr/bin/env node
// `panorama-local`: deploys a CDK app's Panorama imports against local emulators (local-runner/cli.ts).
import { runPanoramaLocalProgram } from './commands';

runPanoramaLocalProgram();
