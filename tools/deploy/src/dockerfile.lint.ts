import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate, ValidationSeverity } from 'dockerfile-utils';

export interface LintFinding {
  line: number;
  rule: string;
  message: string;
}

interface Stage {
  from: Instruction;
  instructions: Instruction[];
}

const ALL_CHECKS_AS_ERRORS = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
};

function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.getKeyword() === 'FROM') stages.push({ from: instruction, instructions: [] });
    else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

const lineOf = (instruction: Instruction) => instruction.getRange().start.line + 1;
// Flags (COPY --from=, RUN --mount=) are kept apart by the parser; the rules read them with the arguments.
const argsOf = (instruction: Instruction): string => {
  const flags =
    'getFlags' in instruction ? (instruction as Instruction & { getFlags(): { toString(): string }[] }).getFlags() : [];
  return [...flags.map(String), instruction.getRawArgumentsContent() ?? ''].join(' ');
};

/** FROM ${NODE_IMAGE}: the image is the ARG's default, which is what a plain `docker build` uses. */
function resolveImage(from: Instruction, initialArgs: Map<string, string>): string {
  const raw = argsOf(from).split(/\s+/)[0] ?? '';
  return raw.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_match, name: string) => initialArgs.get(name) ?? '');
}

/**
 * Surge's own rules, in the spirit of hadolint's (DL3002, DL3006/DL3007, DL3020, DL3025), which is not
 * packaged for Debian: the runtime stage must be small, unprivileged and self-checking.
 */
function projectRules(text: string): LintFinding[] {
  const dockerfile = DockerfileParser.parse(text);
  const initialArgs = new Map<string, string>();
  for (const arg of dockerfile.getInitialARGs()) {
    const [name, value] = argsOf(arg).split('=');
    if (name && value) initialArgs.set(name, value.replace(/^"|"$/g, ''));
  }
  const findings: LintFinding[] = [];
  const add = (instruction: Instruction, rule: string, message: string) =>
    findings.push({ line: lineOf(instruction), rule, message });
  const stages = stagesOf(dockerfile.getInstructions());
  const stageNames = new Set(
    stages
      .map((s) =>
        argsOf(s.from)
          .split(/\s+AS\s+/i)[1]
          ?.trim(),
      )
      .filter(Boolean),
  );

  for (const { from, instructions } of stages) {
    const image = resolveImage(from, initialArgs);
    if (!stageNames.has(image) && (!/:[\w.-]+$/.test(image) || image.endsWith(':latest'))) {
      add(from, 'pinned-base-image', `base image "${image}" needs an explicit tag other than latest`);
    }
    for (const instruction of instructions) {
      const keyword = instruction.getKeyword();
      if (keyword === 'ADD' && !/https?:\/\//.test(argsOf(instruction)))
        add(instruction, 'copy-not-add', 'use COPY for local files');
      if (
        keyword === 'RUN' &&
        /apt-get install/.test(argsOf(instruction)) &&
        !/--no-install-recommends/.test(argsOf(instruction))
      ) {
        add(instruction, 'apt-no-recommends', 'apt-get install needs --no-install-recommends');
      }
      if ((keyword === 'CMD' || keyword === 'ENTRYPOINT') && !argsOf(instruction).trim().startsWith('[')) {
        add(instruction, 'exec-form', `${keyword} in shell form does not pass SIGTERM to the app`);
      }
    }
  }

  const runtime = stages.at(-1);
  if (!runtime || stages.length < 2) {
    findings.push({ line: 1, rule: 'multi-stage', message: 'build in one stage and run from another' });
    return findings;
  }
  const last = (keyword: string) => runtime.instructions.filter((i) => i.getKeyword() === keyword).at(-1);
  const user = last('USER');
  if (!user || /^(root|0)(:|$)/.test(argsOf(user).trim()))
    add(user ?? runtime.from, 'non-root', 'the runtime stage must end on a non-root USER');
  if (!last('HEALTHCHECK')) add(runtime.from, 'healthcheck', 'the runtime stage needs a HEALTHCHECK');
  const installs = runtime.instructions.filter((i) => i.getKeyword() === 'RUN' && /npm (ci|install)/.test(argsOf(i)));
  for (const install of installs) {
    if (!/--omit=dev/.test(argsOf(install)))
      add(install, 'production-deps', 'the runtime stage installs production dependencies only (--omit=dev)');
  }
  if (!runtime.instructions.some((i) => i.getKeyword() === 'COPY' && /--from=/.test(argsOf(i)))) {
    add(runtime.from, 'multi-stage', 'the runtime stage should copy its build output from an earlier stage');
  }
  return findings;
}

/** Syntax and instruction checks from dockerfile-utils (the VS Code Docker linter), every one as an error. */
export function lintDockerfile(text: string): LintFinding[] {
  const syntax = validate(text, ALL_CHECKS_AS_ERRORS).map((d) => ({
    line: d.range.start.line + 1,
    rule: `dockerfile-utils:${String(d.code ?? 'syntax')}`,
    message: typeof d.message === 'string' ? d.message : d.message.value,
  }));
  return [...syntax, ...projectRules(text)].sort((a, b) => a.line - b.line);
}
