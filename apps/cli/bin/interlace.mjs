#!/usr/bin/env node
// The `interlace` command: runs the TypeScript sources through tsx's loader with the repo's compiler settings
// (the server's type-graphql classes need experimental decorators).
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../../../tsconfig.base.json", import.meta.url)) });
await import("../src/main.ts");
