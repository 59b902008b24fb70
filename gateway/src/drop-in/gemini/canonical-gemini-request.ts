type Json = Record<string, unknown>;

// Google's REST transport for Python sends enums as integers ($alt=json;enum-encoding=int), the
// JS SDK as names. Both mean the same request, so the cache key sees names. Numbers from the
// generativelanguage v1beta protos.
const harmCategory = ['HARM_CATEGORY_UNSPECIFIED', 'HARM_CATEGORY_DEROGATORY', 'HARM_CATEGORY_TOXICITY', 'HARM_CATEGORY_VIOLENCE', 'HARM_CATEGORY_SEXUAL', 'HARM_CATEGORY_MEDICAL', 'HARM_CATEGORY_DANGEROUS', 'HARM_CATEGORY_HARASSMENT', 'HARM_CATEGORY_HATE_SPEECH', 'HARM_CATEGORY_SEXUALLY_EXPLICIT', 'HARM_CATEGORY_DANGEROUS_CONTENT', 'HARM_CATEGORY_CIVIC_INTEGRITY'];
const harmBlockThreshold = ['HARM_BLOCK_THRESHOLD_UNSPECIFIED', 'BLOCK_LOW_AND_ABOVE', 'BLOCK_MEDIUM_AND_ABOVE', 'BLOCK_ONLY_HIGH', 'BLOCK_NONE', 'OFF'];
const schemaType = ['TYPE_UNSPECIFIED', 'STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT', 'NULL'];
const functionCallingMode = ['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED'];
const modality = ['MODALITY_UNSPECIFIED', 'TEXT', 'IMAGE', 'AUDIO'];
const mediaResolution = ['MEDIA_RESOLUTION_UNSPECIFIED', 'MEDIA_RESOLUTION_LOW', 'MEDIA_RESOLUTION_MEDIUM', 'MEDIA_RESOLUTION_HIGH'];

/**
 * A generateContent body in one spelling for the cache key: integer enums written as their names,
 * and empty lists and objects dropped, since the API reads them as absent (proto3: the JS SDK
 * sends `safetySettings: []`, Python's transport omits it).
 *
 * @example
 * canonicalGeminiRequest({ safetySettings: [{ category: 10, threshold: 4 }], tools: [] })
 * // { safetySettings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'BLOCK_NONE' }] }
 */
export function canonicalGeminiRequest(body: Json): Json {
  const out: Json = withoutEmpty(body);
  if (Array.isArray(out.safetySettings)) {
    out.safetySettings = (out.safetySettings as Json[]).map((setting) => ({
      ...setting,
      category: name(harmCategory, setting.category),
      threshold: name(harmBlockThreshold, setting.threshold),
    }));
  }
  const config = out.generationConfig as Json | undefined;
  if (config) {
    out.generationConfig = withoutEmpty({
      ...config,
      ...(Array.isArray(config.responseModalities) ? { responseModalities: config.responseModalities.map((value) => name(modality, value)) } : {}),
      ...(config.mediaResolution !== undefined ? { mediaResolution: name(mediaResolution, config.mediaResolution) } : {}),
      ...(config.responseSchema !== undefined ? { responseSchema: nameSchema(config.responseSchema) } : {}),
    });
  }
  const toolConfig = out.toolConfig as Json | undefined;
  const calling = toolConfig?.functionCallingConfig as Json | undefined;
  if (toolConfig && calling) out.toolConfig = { ...toolConfig, functionCallingConfig: { ...calling, mode: name(functionCallingMode, calling.mode) } };
  if (Array.isArray(out.tools)) {
    out.tools = (out.tools as Json[]).map((tool) =>
      Array.isArray(tool.functionDeclarations)
        ? { ...tool, functionDeclarations: (tool.functionDeclarations as Json[]).map((declaration) => ({ ...declaration, ...(declaration.parameters ? { parameters: nameSchema(declaration.parameters) } : {}) })) }
        : tool,
    );
  }
  return out;
}

function withoutEmpty(record: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    out[key] = value;
  }
  return out;
}

function nameSchema(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) return schema;
  const record = schema as Json;
  const out: Json = { ...record, ...(record.type !== undefined ? { type: name(schemaType, record.type) } : {}) };
  if (record.items !== undefined) out.items = nameSchema(record.items);
  if (typeof record.properties === 'object' && record.properties !== null) {
    out.properties = Object.fromEntries(Object.entries(record.properties).map(([key, value]) => [key, nameSchema(value)]));
  }
  if (Array.isArray(record.anyOf)) out.anyOf = record.anyOf.map(nameSchema);
  return out;
}

function name(names: string[], value: unknown): unknown {
  return typeof value === 'number' && Number.isInteger(value) ? (names[value] ?? value) : value;
}
