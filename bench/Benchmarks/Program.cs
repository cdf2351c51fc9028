using BenchmarkDotNet.Running;

// `-- eventlog [sqlite|azure|all] [count]`: the event-log append run (a console measurement, see EventLogAppendRun).
if (args.Length > 0 && args[0] == "eventlog")
    return await Benchmarks.EventLogAppendRun.RunAsync(args);

// Every [Benchmark] class in this assembly; pick with --filter, e.g. --filter '*Srtp*'.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
