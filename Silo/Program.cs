// Silo host. Filled in by the foundation issue.
Console.WriteLine("silo");
