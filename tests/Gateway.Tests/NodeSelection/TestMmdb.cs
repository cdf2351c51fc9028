using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Gateway.Tests.NodeSelection;

/// <summary>
/// Writes a tiny IPv4 MaxMind DB file (format v2.0: binary search tree with 24-bit records, 16-byte
/// separator, data section, "\xAB\xCD\xEFMaxMind.com" and the metadata map) so that GeoIP lookups are
/// tested against the real reader without shipping a vendor database.
/// </summary>
internal static class TestMmdb
{
    /// <summary>Each network (IPv4 CIDR) gets a record {country: {iso_code}, continent: {code}}.</summary>
    public static void Write(string path, string databaseType, IReadOnlyList<(string Cidr, string Country, string Continent)> networks)
    {
        var data = new List<byte>();
        var offsets = new List<int>();
        foreach (var (_, country, continent) in networks)
        {
            offsets.Add(data.Count);
            Map(data, 2);
            Text(data, "country"); Map(data, 1); Text(data, "iso_code"); Text(data, country);
            Text(data, "continent"); Map(data, 1); Text(data, "code"); Text(data, continent);
        }

        // Search tree: node 0 is the root; records are child node numbers, or -(1 + record index) for data, or null.
        var nodes = new List<int?[]> { new int?[2] };
        for (int n = 0; n < networks.Count; n++)
        {
            var (cidr, _, _) = networks[n];
            int slash = cidr.IndexOf('/');
            uint address = BinaryPrimitives.ReadUInt32BigEndian(IPAddress.Parse(cidr[..slash]).GetAddressBytes());
            int prefix = int.Parse(cidr[(slash + 1)..]);
            int node = 0;
            for (int depth = 0; depth < prefix; depth++)
            {
                int bit = (int)((address >> (31 - depth)) & 1);
                if (depth == prefix - 1)
                {
                    nodes[node][bit] = -(1 + n);
                    break;
                }
                if (nodes[node][bit] is not { } child || child < 0)
                {
                    nodes.Add(new int?[2]);
                    child = nodes.Count - 1;
                    nodes[node][bit] = child;
                }
                node = child;
            }
        }

        int count = nodes.Count;
        var file = new List<byte>();
        foreach (var records in nodes)
            foreach (var record in records)
            {
                int value = record switch
                {
                    null => count, // no data
                    < 0 => count + 16 + offsets[-record.Value - 1],
                    _ => record.Value,
                };
                file.Add((byte)(value >> 16));
                file.Add((byte)(value >> 8));
                file.Add((byte)value);
            }
        file.AddRange(new byte[16]);
        file.AddRange(data);
        file.AddRange([0xAB, 0xCD, 0xEF]);
        file.AddRange(Encoding.ASCII.GetBytes("MaxMind.com"));
        Map(file, 9);
        Text(file, "node_count"); UInt(file, 6, (ulong)count);
        Text(file, "record_size"); UInt(file, 5, 24);
        Text(file, "ip_version"); UInt(file, 5, 4);
        Text(file, "database_type"); Text(file, databaseType);
        Text(file, "languages"); file.Add(0x01); file.Add(0x04); Text(file, "en"); // array (extended type 11) of one
        Text(file, "binary_format_major_version"); UInt(file, 5, 2);
        Text(file, "binary_format_minor_version"); UInt(file, 5, 0);
        Text(file, "build_epoch"); UInt(file, 9, 1_700_000_000);
        Text(file, "description"); Map(file, 1); Text(file, "en"); Text(file, "node selection test database");
        File.WriteAllBytes(path, [.. file]);
    }

    private static void Map(List<byte> output, int pairs) => output.Add((byte)(7 << 5 | pairs));

    private static void Text(List<byte> output, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        output.Add((byte)(2 << 5 | bytes.Length)); // all test strings are shorter than 29 bytes
        output.AddRange(bytes);
    }

    /// <summary>Unsigned integer of type 5 (uint16), 6 (uint32) or 9 (uint64, extended), in as few bytes as it needs.</summary>
    private static void UInt(List<byte> output, int type, ulong value)
    {
        var bytes = new List<byte>();
        for (ulong v = value; v != 0; v >>= 8)
            bytes.Insert(0, (byte)v);
        if (type <= 7)
        {
            output.Add((byte)(type << 5 | bytes.Count));
        }
        else
        {
            output.Add((byte)bytes.Count);
            output.Add((byte)(type - 7));
        }
        output.AddRange(bytes);
    }
}
