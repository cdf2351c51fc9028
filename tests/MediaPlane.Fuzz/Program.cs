using System.Runtime.InteropServices;
using MediaPlane.Fuzz;
using SharpFuzz;

// Instrumented code (scripts/fuzz.sh) records coverage in SharpFuzz's shared memory, which afl-fuzz maps only once
// Fuzzer.OutOfProcess.Run starts; until then (the targets' constructors, or a replay) it writes to a scratch map.
unsafe
{
    SharpFuzz.Common.Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(1 << 16);
}

// Usage: MediaPlane.Fuzz <target>            (under afl-fuzz, input from stdin via SharpFuzz)
//        MediaPlane.Fuzz <target> <file...>  (replay saved inputs, e.g. crash regressions)
var targets = typeof(IFuzzTarget).Assembly.GetTypes()
    .Where(t => typeof(IFuzzTarget).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IFuzzTarget)Activator.CreateInstance(t)!)
    .ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);

if (args.Length == 0 || !targets.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: MediaPlane.Fuzz <{string.Join('|', targets.Keys.Order())}> [input files...]");
    return 2;
}

if (args.Length > 1)
{
    foreach (var file in args.Skip(1))
        target.Run(File.ReadAllBytes(file));
    Console.WriteLine($"{target.Name}: {args.Length - 1} inputs replayed without exception");
    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    target.Run(memory.ToArray());
});
return 0;
