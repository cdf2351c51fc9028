namespace Gateway.Tests.Browser;

/// <summary>The processes descended from one process, read from /proc (Linux): the chromium that our Playwright driver started.</summary>
public static class ProcessTree
{
    public static HashSet<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
                continue;
            try
            {
                // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(rest[1]);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        var found = new HashSet<int>();
        bool grew = true;
        while (grew)
        {
            grew = false;
            foreach (var (pid, parent) in parents)
                if ((parent == root || found.Contains(parent)) && found.Add(pid))
                    grew = true;
        }
        return found;
    }
}
