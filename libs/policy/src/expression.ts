import jsep from 'jsep';

/**
 * The safe formula language of `when: { expr }`, in the spirit of KEDA's scalingModifiers: arithmetic,
 * comparisons, `&&`/`||`/`!`, `?:` and a few math functions over metric names. It is parsed with jsep and
 * walked here; nothing is ever handed to `eval` or `Function`.
 */
export type ExpressionNode = jsep.Expression;

export interface CompiledExpression {
  source: string;
  ast: ExpressionNode;
  /** Every metric the formula reads, so the engine knows which samples matter. */
  metrics: string[];
}

const BINARY = new Set(['+', '-', '*', '/', '%', '<', '<=', '>', '>=', '==', '!=', '===', '!==', '&&', '||']);
const UNARY = new Set(['-', '+', '!']);
const FUNCTIONS: Record<string, (...args: number[]) => number> = {
  min: Math.min,
  max: Math.max,
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  round: Math.round,
  sqrt: Math.sqrt,
  avg: (...args) => args.reduce((sum, value) => sum + value, 0) / args.length,
};

export class ExpressionError extends Error {}

/** Parses and checks a formula, listing what it may not contain. */
export function compileExpression(source: string): CompiledExpression {
  let ast: ExpressionNode;
  try {
    ast = jsep(source);
  } catch (error) {
    throw new ExpressionError(`cannot parse expression "${source}": ${(error as Error).message}`);
  }
  const metrics = new Set<string>();
  check(ast, metrics);
  return { source, ast, metrics: [...metrics].sort() };
}

function check(node: ExpressionNode, metrics: Set<string>): void {
  switch (node.type) {
    case 'Literal':
      if (typeof node.value !== 'number' && typeof node.value !== 'boolean') {
        throw new ExpressionError(`only number and boolean literals are allowed, got ${String(node.raw)}`);
      }
      return;
    case 'Identifier':
      metrics.add(node.name as string);
      return;
    case 'BinaryExpression':
      if (!BINARY.has(node.operator as string))
        throw new ExpressionError(`operator "${String(node.operator)}" is not allowed`);
      check(node.left as ExpressionNode, metrics);
      check(node.right as ExpressionNode, metrics);
      return;
    case 'UnaryExpression':
      if (!UNARY.has(node.operator as string))
        throw new ExpressionError(`operator "${String(node.operator)}" is not allowed`);
      check(node.argument as ExpressionNode, metrics);
      return;
    case 'ConditionalExpression':
      for (const part of [node.test, node.consequent, node.alternate]) check(part as ExpressionNode, metrics);
      return;
    case 'CallExpression': {
      const callee = node.callee as ExpressionNode;
      if (callee.type !== 'Identifier' || !Object.hasOwn(FUNCTIONS, callee.name as string)) {
        throw new ExpressionError(`only the functions ${Object.keys(FUNCTIONS).join(', ')} may be called`);
      }
      for (const argument of node.arguments as ExpressionNode[]) check(argument, metrics);
      return;
    }
    default:
      throw new ExpressionError(`${node.type} is not allowed in an expression`);
  }
}

/**
 * Evaluates a compiled formula. A metric without a value makes the whole result `undefined`: a condition
 * over an unknown value neither holds nor fails.
 */
export function evaluateExpression(
  ast: ExpressionNode,
  values: (metric: string) => number | undefined,
): number | boolean | undefined {
  const walk = (node: ExpressionNode): number | boolean | undefined => {
    switch (node.type) {
      case 'Literal':
        return node.value as number | boolean;
      case 'Identifier':
        return values(node.name as string);
      case 'UnaryExpression': {
        const value = walk(node.argument as ExpressionNode);
        if (value === undefined) return undefined;
        if (node.operator === '!') return !value;
        return node.operator === '-' ? -Number(value) : Number(value);
      }
      case 'ConditionalExpression': {
        const test = walk(node.test as ExpressionNode);
        if (test === undefined) return undefined;
        return walk((test ? node.consequent : node.alternate) as ExpressionNode);
      }
      case 'CallExpression': {
        const args = (node.arguments as ExpressionNode[]).map(walk);
        if (args.some((arg) => arg === undefined)) return undefined;
        return FUNCTIONS[(node.callee as ExpressionNode).name as string]!(...args.map(Number));
      }
      case 'BinaryExpression':
        return binary(node.operator as string, walk(node.left as ExpressionNode), () =>
          walk(node.right as ExpressionNode),
        );
      default:
        throw new ExpressionError(`${node.type} is not allowed in an expression`);
    }
  };
  return walk(ast);
}

function binary(operator: string, left: number | boolean | undefined, rightThunk: () => number | boolean | undefined) {
  // Three-valued logic, so `a > 1 || b > 1` holds on `a` alone while `b` has no sample.
  if (operator === '&&') {
    if (left !== undefined && !left) return false;
    const right = rightThunk();
    if (right !== undefined && !right) return false;
    return left === undefined || right === undefined ? undefined : true;
  }
  if (operator === '||') {
    if (left !== undefined && left) return true;
    const right = rightThunk();
    if (right !== undefined && right) return true;
    return left === undefined || right === undefined ? undefined : false;
  }
  const right = rightThunk();
  if (left === undefined || right === undefined) return undefined;
  const l = Number(left);
  const r = Number(right);
  switch (operator) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    case '>=':
      return l >= r;
    case '==':
    case '===':
      return l === r;
    default:
      return l !== r;
  }
}
