using MediaPlane.Recording.Buffers;

namespace MediaPlane.Recording.Mp4;

/// <summary>
/// The start of a fragmented MP4 (ISO/IEC 14496-12): ftyp, then a moov whose sample tables are empty
/// (§8.8.1: samples live in movie fragments) with mvex/trex (§8.8.2, §8.8.3) announcing the fragments.
/// </summary>
internal static class Mp4Header
{
    public static void Write(GrowableBuffer b, IReadOnlyList<RecordingTrack> tracks)
    {
        int ftyp = BoxWriter.Start(b, "ftyp"u8); // §4.3
        b.Write("isom"u8);
        b.WriteUInt32BigEndian(0x200);
        b.Write("isom"u8);
        b.Write("iso6"u8);
        b.Write("mp41"u8);
        if (tracks.Any(t => t.Codec == MediaCodec.H264))
            b.Write("avc1"u8);
        if (tracks.Any(t => t.Codec == MediaCodec.Av1))
            b.Write("av01"u8);
        BoxWriter.End(b, ftyp);

        int moov = BoxWriter.Start(b, "moov"u8);
        int mvhd = BoxWriter.StartFull(b, "mvhd"u8, 0, 0); // §8.2.2
        b.WriteUInt32BigEndian(0); // creation_time
        b.WriteUInt32BigEndian(0); // modification_time
        b.WriteUInt32BigEndian(1000); // timescale
        b.WriteUInt32BigEndian(0); // duration: unknown, fragments follow
        b.WriteUInt32BigEndian(0x00010000); // rate 1.0
        b.WriteUInt16BigEndian(0x0100); // volume 1.0
        BoxWriter.Zeros(b, 10);
        BoxWriter.UnityMatrix(b);
        BoxWriter.Zeros(b, 24); // pre_defined
        b.WriteUInt32BigEndian((uint)tracks.Count + 1); // next_track_ID
        BoxWriter.End(b, mvhd);
        for (int i = 0; i < tracks.Count; i++)
            WriteTrack(b, i + 1, tracks[i]);
        int mvex = BoxWriter.Start(b, "mvex"u8);
        for (int i = 0; i < tracks.Count; i++)
        {
            int trex = BoxWriter.StartFull(b, "trex"u8, 0, 0); // §8.8.3
            b.WriteUInt32BigEndian((uint)(i + 1));
            b.WriteUInt32BigEndian(1); // default_sample_description_index
            b.WriteUInt32BigEndian(0);
            b.WriteUInt32BigEndian(0);
            b.WriteUInt32BigEndian(0);
            BoxWriter.End(b, trex);
        }
        BoxWriter.End(b, mvex);
        BoxWriter.End(b, moov);
    }

    private static void WriteTrack(GrowableBuffer b, int trackId, RecordingTrack track)
    {
        int trak = BoxWriter.Start(b, "trak"u8);
        int tkhd = BoxWriter.StartFull(b, "tkhd"u8, 0, 0x000003); // §8.3.2: enabled, in movie
        b.WriteUInt32BigEndian(0);
        b.WriteUInt32BigEndian(0);
        b.WriteUInt32BigEndian((uint)trackId);
        b.WriteUInt32BigEndian(0); // reserved
        b.WriteUInt32BigEndian(0); // duration
        BoxWriter.Zeros(b, 8);
        b.WriteUInt16BigEndian(0); // layer
        b.WriteUInt16BigEndian(track.IsVideo ? (ushort)0 : (ushort)1); // alternate_group
        b.WriteUInt16BigEndian(track.IsVideo ? (ushort)0 : (ushort)0x0100); // volume
        b.WriteUInt16BigEndian(0);
        BoxWriter.UnityMatrix(b);
        b.WriteUInt32BigEndian((uint)track.Width << 16);
        b.WriteUInt32BigEndian((uint)track.Height << 16);
        BoxWriter.End(b, tkhd);

        int mdia = BoxWriter.Start(b, "mdia"u8);
        int mdhd = BoxWriter.StartFull(b, "mdhd"u8, 0, 0); // §8.4.2
        b.WriteUInt32BigEndian(0);
        b.WriteUInt32BigEndian(0);
        b.WriteUInt32BigEndian((uint)track.ClockRate); // the RTP clock: 90 kHz video, 48 kHz Opus
        b.WriteUInt32BigEndian(0);
        b.WriteUInt16BigEndian(0x55C4); // language "und", ISO 639-2/T packed
        b.WriteUInt16BigEndian(0);
        BoxWriter.End(b, mdhd);
        int hdlr = BoxWriter.StartFull(b, "hdlr"u8, 0, 0); // §8.4.3
        b.WriteUInt32BigEndian(0);
        b.Write(track.IsVideo ? "vide"u8 : "soun"u8);
        BoxWriter.Zeros(b, 12);
        b.Write(track.IsVideo ? "VideoHandler\0"u8 : "SoundHandler\0"u8);
        BoxWriter.End(b, hdlr);

        int minf = BoxWriter.Start(b, "minf"u8);
        if (track.IsVideo)
        {
            int vmhd = BoxWriter.StartFull(b, "vmhd"u8, 0, 1); // §12.1.2
            BoxWriter.Zeros(b, 8);
            BoxWriter.End(b, vmhd);
        }
        else
        {
            int smhd = BoxWriter.StartFull(b, "smhd"u8, 0, 0); // §12.2.2
            BoxWriter.Zeros(b, 4);
            BoxWriter.End(b, smhd);
        }
        int dinf = BoxWriter.Start(b, "dinf"u8); // §8.7.1
        int dref = BoxWriter.StartFull(b, "dref"u8, 0, 0);
        b.WriteUInt32BigEndian(1);
        int url = BoxWriter.StartFull(b, "url "u8, 0, 1); // flag 1: media in this file
        BoxWriter.End(b, url);
        BoxWriter.End(b, dref);
        BoxWriter.End(b, dinf);

        int stbl = BoxWriter.Start(b, "stbl"u8); // §8.5.1, empty tables
        int stsd = BoxWriter.StartFull(b, "stsd"u8, 0, 0);
        b.WriteUInt32BigEndian(1);
        SampleEntries.Write(b, track);
        BoxWriter.End(b, stsd);
        foreach (var type in (ReadOnlySpan<string>)["stts", "stsc", "stco"])
        {
            int box = BoxWriter.StartFull(b, System.Text.Encoding.ASCII.GetBytes(type), 0, 0);
            b.WriteUInt32BigEndian(0);
            BoxWriter.End(b, box);
        }
        int stsz = BoxWriter.StartFull(b, "stsz"u8, 0, 0);
        b.WriteUInt32BigEndian(0);
        b.WriteUInt32BigEndian(0);
        BoxWriter.End(b, stsz);
        BoxWriter.End(b, stbl);
        BoxWriter.End(b, minf);
        BoxWriter.End(b, mdia);
        BoxWriter.End(b, trak);
    }
}
