// Standalone gateway: joins a cluster as an Orleans client. Filled in by the foundation issue.
Console.WriteLine("gateway");
