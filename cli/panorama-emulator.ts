#!/usr/bin/env node
// `panorama-emulator`: serves the local Panorama emulator and an S3 emulator (emulator/cli.ts).
import { runEmulatorProgram } from './commands';

runEmulatorProgram();
