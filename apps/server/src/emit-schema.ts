import { emitSchema } from "./graphql/schema.js";

const path = await emitSchema();
console.log(`wrote ${path}`);
