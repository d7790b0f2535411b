// An independent check of Slack's Block Kit limits, written from Slack's reference pages rather than
// from our renderer's constants, so a renderer bug cannot hide behind a shared wrong number.
// Returns a list of problems (empty when the message or view is fine).

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Cumulative text Slack accepts in one message's blocks before `msg_blocks_too_long` (~12k; see bolt-js#2509). */
export const MESSAGE_TEXT_LIMIT = 12_000;

function textOf(obj: unknown): string | undefined {
  return isObject(obj) && typeof obj.text === 'string' ? obj.text : undefined;
}

/** Sums every `text` string anywhere in the blocks: what Slack counts towards `msg_blocks_too_long`. */
export function totalBlockText(blocks: unknown[]): number {
  let total = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      for (const [key, value] of Object.entries(v)) {
        if (key === 'text' && typeof value === 'string') total += value.length;
        else walk(value);
      }
    }
  };
  walk(blocks);
  return total;
}

function checkTextObject(where: string, obj: unknown, max: number, problems: string[], kind?: 'plain_text' | 'mrkdwn'): void {
  if (!isObject(obj)) {
    problems.push(`${where}: missing text object`);
    return;
  }
  if (obj.type !== 'plain_text' && obj.type !== 'mrkdwn') problems.push(`${where}: text type ${String(obj.type)}`);
  if (kind && obj.type !== kind) problems.push(`${where}: must be ${kind}, is ${String(obj.type)}`);
  const text = textOf(obj);
  if (text === undefined || text.length === 0) problems.push(`${where}: empty text`);
  else if (text.length > max) problems.push(`${where}: text is ${text.length} characters (max ${max})`);
}

function checkElement(where: string, el: unknown, problems: string[]): void {
  if (!isObject(el)) {
    problems.push(`${where}: not an object`);
    return;
  }
  if (typeof el.action_id === 'string' && el.action_id.length > 255) problems.push(`${where}: action_id over 255`);
  if (el.type === 'button') {
    checkTextObject(`${where}.text`, el.text, 75, problems, 'plain_text');
    if (typeof el.value === 'string' && el.value.length > 2000) problems.push(`${where}: button value is ${el.value.length} characters (max 2000)`);
    if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') problems.push(`${where}: bad style ${String(el.style)}`);
  }
  if (el.type === 'static_select') {
    const options = Array.isArray(el.options) ? el.options : [];
    if (options.length === 0) problems.push(`${where}: static_select without options`);
    if (options.length > 100) problems.push(`${where}: ${options.length} options (max 100)`);
    options.forEach((o, i) => {
      if (!isObject(o)) {
        problems.push(`${where}.options[${i}]: not an object`);
        return;
      }
      checkTextObject(`${where}.options[${i}].text`, o.text, 75, problems, 'plain_text');
      if (o.description !== undefined) checkTextObject(`${where}.options[${i}].description`, o.description, 75, problems, 'plain_text');
      if (typeof o.value !== 'string' || o.value.length === 0 || o.value.length > 150) problems.push(`${where}.options[${i}]: value must be 1–150 characters`);
    });
    if (el.initial_option !== undefined) {
      const initial = JSON.stringify(el.initial_option);
      if (!options.some((o) => JSON.stringify(o) === initial)) problems.push(`${where}: initial_option is not one of the options`);
    }
  }
  if (el.placeholder !== undefined) checkTextObject(`${where}.placeholder`, el.placeholder, 150, problems, 'plain_text');
  if (el.type === 'plain_text_input' && typeof el.max_length === 'number' && el.max_length > 3000) problems.push(`${where}: max_length over 3000`);
  if (el.type === 'plain_text_input' && typeof el.initial_value === 'string' && typeof el.max_length === 'number' && el.initial_value.length > el.max_length) {
    problems.push(`${where}: initial_value longer than max_length`);
  }
  if (el.type === 'datepicker' && el.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(el.initial_date))) problems.push(`${where}: initial_date not YYYY-MM-DD`);
}

/** Checks one block; `surface` matters only for which block types are allowed. */
function checkBlock(where: string, block: unknown, surface: 'message' | 'modal' | 'home', problems: string[]): void {
  if (!isObject(block)) {
    problems.push(`${where}: not an object`);
    return;
  }
  if (typeof block.block_id === 'string' && block.block_id.length > 255) problems.push(`${where}: block_id over 255`);
  switch (block.type) {
    case 'header':
      checkTextObject(`${where}.text`, block.text, 150, problems, 'plain_text');
      break;
    case 'section': {
      const fields = block.fields;
      if (block.text === undefined && fields === undefined) problems.push(`${where}: section needs text or fields`);
      if (block.text !== undefined) checkTextObject(`${where}.text`, block.text, 3000, problems);
      if (fields !== undefined) {
        if (!Array.isArray(fields) || fields.length === 0) problems.push(`${where}: empty fields`);
        else {
          if (fields.length > 10) problems.push(`${where}: ${fields.length} fields (max 10)`);
          fields.forEach((f, i) => checkTextObject(`${where}.fields[${i}]`, f, 2000, problems));
        }
      }
      if (block.accessory !== undefined) checkElement(`${where}.accessory`, block.accessory, problems);
      break;
    }
    case 'context': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length === 0 || elements.length > 10) problems.push(`${where}: context needs 1–10 elements, has ${elements.length}`);
      elements.forEach((e, i) => {
        if (isObject(e) && e.type !== 'image') checkTextObject(`${where}.elements[${i}]`, e, 3000, problems);
      });
      break;
    }
    case 'actions': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length === 0 || elements.length > 25) problems.push(`${where}: actions needs 1–25 elements, has ${elements.length}`);
      const ids = new Set<string>();
      elements.forEach((e, i) => {
        checkElement(`${where}.elements[${i}]`, e, problems);
        const id = isObject(e) && typeof e.action_id === 'string' ? e.action_id : undefined;
        if (id !== undefined) {
          if (ids.has(id)) problems.push(`${where}: action_id ${id} repeated in one block`);
          ids.add(id);
        }
      });
      break;
    }
    case 'divider':
      break;
    case 'input':
      if (surface === 'message') problems.push(`${where}: input blocks are not allowed in messages`);
      checkTextObject(`${where}.label`, block.label, 2000, problems, 'plain_text');
      if (block.hint !== undefined) checkTextObject(`${where}.hint`, block.hint, 2000, problems, 'plain_text');
      checkElement(`${where}.element`, block.element, problems);
      break;
    default:
      problems.push(`${where}: unexpected block type ${String(block.type)}`);
  }
}

function checkBlockIds(blocks: unknown[], problems: string[]): void {
  const seen = new Set<string>();
  blocks.forEach((b, i) => {
    if (isObject(b) && typeof b.block_id === 'string') {
      if (seen.has(b.block_id)) problems.push(`blocks[${i}]: block_id ${b.block_id} repeated`);
      seen.add(b.block_id);
    }
  });
}

/** Problems with a chat message (`{ text, blocks }`) against Slack's limits. */
export function checkBlockKitLimits(message: { text?: unknown; blocks?: unknown }): string[] {
  const problems: string[] = [];
  if (typeof message.text !== 'string' || message.text.trim() === '') problems.push('text: fallback text missing');
  else if (message.text.length > 40_000) problems.push(`text: ${message.text.length} characters (max 40000)`);
  const blocks = Array.isArray(message.blocks) ? message.blocks : [];
  if (!Array.isArray(message.blocks)) problems.push('blocks: missing');
  if (blocks.length > 50) problems.push(`blocks: ${blocks.length} blocks (max 50)`);
  blocks.forEach((b, i) => checkBlock(`blocks[${i}]`, b, 'message', problems));
  checkBlockIds(blocks, problems);
  const total = totalBlockText(blocks);
  if (total > MESSAGE_TEXT_LIMIT) problems.push(`blocks: ${total} characters of text in all (max about ${MESSAGE_TEXT_LIMIT})`);
  return problems;
}

/** Problems with a modal or Home tab view. */
export function checkViewLimits(view: Json): string[] {
  const problems: string[] = [];
  const surface = view.type === 'home' ? 'home' : 'modal';
  if (view.type !== 'home' && view.type !== 'modal') problems.push(`type: ${String(view.type)}`);
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  if (blocks.length > 100) problems.push(`blocks: ${blocks.length} blocks (max 100)`);
  blocks.forEach((b, i) => checkBlock(`blocks[${i}]`, b, surface, problems));
  checkBlockIds(blocks, problems);
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) problems.push('private_metadata over 3000');
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255) problems.push('callback_id over 255');
  if (surface === 'modal') {
    checkTextObject('title', view.title, 24, problems, 'plain_text');
    if (view.close !== undefined) checkTextObject('close', view.close, 24, problems, 'plain_text');
    if (view.submit !== undefined) checkTextObject('submit', view.submit, 24, problems, 'plain_text');
    if (blocks.some((b) => isObject(b) && b.type === 'input') && view.submit === undefined) problems.push('submit: required when a modal has inputs');
  }
  return problems;
}
