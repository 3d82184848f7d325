import { Command, InvalidArgumentError } from 'commander';
import { engineOptions } from './engine-client';
import { engineOption, exitWith } from './engine-command';
import { importCommand } from './import.command';
import { DEFAULT_SCHEMA_REF } from './import-policy';
import { policiesDiffCommand } from './policies-diff.command';
import { simulateCommand } from './simulate.command';
import { statusCommand } from './status.command';
import { validateCommand } from './validate.command';

const program = new Command('surgectl')
  .description('Surge: validate scaling policies and backtest them on traces')
  .showHelpAfterError();

const policiesCommand = program.command('policies').description('work with ScalingPolicy files');
policiesCommand
  .command('validate')
  .argument('<dir>', 'a policy file or a directory of .yaml/.yml files')
  .option('--targets <file>', "also check each policy's target, kind and setting against this targets file")
  .description('validate policies; prints each problem as file: field path: message and exits non-zero')
  .action((dir: string, options: { targets?: string }) => {
    process.exitCode = validateCommand(dir, options.targets);
  });

policiesCommand
  .command('diff')
  .argument('<location>', 'a policy file or a directory of .yaml/.yml files')
  .addOption(engineOption())
  .description(
    'compare local policies with the running ones: new, removed, unchanged or changed (field by field); exits 0 when equal, 1 when not, 2 on error',
  )
  .action((location: string, options: { engine: string }) => {
    exitWith(policiesDiffCommand(location, engineOptions(options.engine)));
  });

program
  .command('status')
  .argument('[target]', 'a target id such as production/api-server; without it, every target one line each')
  .addOption(engineOption())
  .option('--json', "print the engine's answer as JSON")
  .description("a target's policy, values, metrics, rules and conditions, as kubectl describe hpa prints them")
  .action((target: string | undefined, options: { engine: string; json?: boolean }) => {
    exitWith(statusCommand(target, { ...engineOptions(options.engine), json: options.json }));
  });

const nonNegative = (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new InvalidArgumentError('must be a non-negative number');
  return parsed;
};

program
  .command('simulate')
  .description('run a sample trace through the decision core and print the decisions')
  .requiredOption('--policies <file|dir>', 'a policy file or a directory of policies')
  .requiredOption('--samples <trace.jsonl>', 'one sample per line: {"timestamp", "target", "metric", "value"}')
  .option('--initial <n>', 'starting value of every target until a sample of its setting says otherwise', nonNegative)
  .option('--out <decisions.jsonl>', 'write the decisions as JSONL here (default: stdout, with the table on stderr)')
  .action((options: { policies: string; samples: string; initial?: number; out?: string }) => {
    process.exitCode = simulateCommand(options);
  });

const importGroup = program
  .command('import')
  .description('convert an HPA or a KEDA ScaledObject into a ScalingPolicy, printed on stdout');
for (const [source, what] of [
  ['hpa', 'an autoscaling/v2 HorizontalPodAutoscaler'],
  ['keda', 'a keda.sh/v1alpha1 ScaledObject'],
] as const) {
  importGroup
    .command(source)
    .argument('<file>', `${what} YAML file (one or several documents)`)
    .option('--schema <ref>', 'the $schema of the yaml-language-server line', DEFAULT_SCHEMA_REF)
    .description(
      `print ${what} as a ScalingPolicy; what is not carried over goes to stderr; exits 0 valid, 1 invalid, 2 unreadable`,
    )
    .action((file: string, options: { schema: string }) => {
      process.exitCode = importCommand(source, file, options);
    });
}

try {
  program.parse(process.argv);
} catch (error) {
  process.stderr.write(`surgectl: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
