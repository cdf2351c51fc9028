namespace Silo.Hosting;

/// <summary>Where the cluster keeps membership, grain state, streams and room logs (<c>Cluster:Provider</c>).</summary>
public enum ClusterProvider
{
    /// <summary>One process: localhost clustering, SQLite file under <c>Storage:DataDirectory</c>, memory streams.</summary>
    Embedded,
    /// <summary>Azure Table membership and grain state, Azure Queue streams, room logs in an Azure table: one storage connection string.</summary>
    AzureStorage,
    /// <summary>Orleans ADO.NET membership and grain state on PostgreSQL, room logs in a PostgreSQL table, memory streams.</summary>
    PostgreSql,
}
