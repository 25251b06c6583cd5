// Types of the generated naftiko-1.0.0-alpha2.validate.mjs (scripts/build-validators.mjs).

/** The whole dialect schema, precompiled: true when the document is valid. */
export declare function root(data: unknown): boolean;
