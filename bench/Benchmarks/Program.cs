using BenchmarkDotNet.Running;

// `-- eventlog [sqlite|azure|all] [count]`: the event-log append run (a console measurement, see EventLogAppendRun).
if (args.Length > 0 && args[0] == "eventlog")
    return await Benchmarks.EventLogAppendRun.RunAsync(args);

// `-- sfu --pid PID [--url URL] [--subscribers 10,50] [--seconds 10]`: one publisher, N subscribers on a running silo.
if (args.Length > 0 && args[0] == "sfu")
    return await Benchmarks.Sfu.SfuLoadRun.RunAsync(args);

// `-- load --target ours|janus|baseline --pid PID [--publishers P] [--subscribers S] [--rooms R] [--seconds N] [--json F]`.
if (args.Length > 0 && args[0] == "load")
    return await Benchmarks.Load.LoadRun.RunAsync(args);

// `-- control --gateways URL1,URL2 --api-key K --api-secret S [--seconds 20] [--concurrency 16] [--join-samples 20] [--json F]`:
// join time and REST throughput against a running cluster (scripts/cluster.sh); bench/control.sh runs it on 1 and 3 silos.
if (args.Length > 0 && args[0] == "control")
    return await Benchmarks.Control.ControlRun.RunAsync(args);

// `-- chaos --gateways URL1,URL2 --api-key K --api-secret S --until-file F [--rooms 3] [--publishers 1] [--subscribers 2]`:
// the clients of scripts/chaos.sh (self-healing publishers and subscribers, then the end-of-run checks).
if (args.Length > 0 && args[0] == "chaos")
    return await Benchmarks.Chaos.ChaosRun.RunAsync(args);

// `-- report --in DIR --out README.md --png cpu.png`: bench/README.md from the load runs' JSON.
if (args.Length > 0 && args[0] == "report")
    return await Benchmarks.Load.ReportWriter.RunAsync(args);

// Every [Benchmark] class in this assembly; pick with --filter, e.g. --filter '*Srtp*'.
BenchmarkSwitcher.FromAssembly(typeof(Benchmarks.Sfu.SfuLoadRun).Assembly).Run(args);
return 0;
