#!/bin/sh
# make-media.sh — regenerates the small "healthy stream" fixtures in demo/media/ that the e2e player tests
# (test/e2e/players.ts) play with real players (hls.js, mpegts.js, video.js, a plain <video>).
#
#   sh scripts/make-media.sh            # needs ffmpeg with libx264 and the native aac encoder
#
# What it writes (6 s of ffmpeg's testsrc2 pattern, 320x180 at 15 fps, H.264 Constrained Baseline ~48 kbit/s,
# with a 440 Hz sine tone as AAC-LC mono 22.05 kHz ~32 kbit/s; a keyframe every 2 s):
#
#   demo/media/9001.m3u8                  HLS VOD playlist (#EXT-X-ENDLIST) of three 2 s segments, relative URIs
#   demo/media/9001_0.ts … 9001_2.ts      its MPEG-TS segments
#   demo/media/9001.ts                    the same 6 s as one MPEG-TS file (mpegts.js)
#   demo/media/9001.mp4                   the same 6 s as a fast-start MP4 (the plain <video> player)
#
# All of it stays well under 300 KB. "9001" is the healthy channel id the test site serves these under
# (/live/USER/PASS/9001.m3u8 etc.; see test/e2e/players.ts). The outputs are committed: tests never run ffmpeg.
# Re-running gives equivalent (not necessarily byte-identical) files; -bitexact keeps encoder banners out.
set -eu
cd "$(dirname "$0")/.."
out=demo/media
mkdir -p "$out"
rm -f "$out"/9001.m3u8 "$out"/9001_*.ts "$out"/9001.ts "$out"/9001.mp4

src="testsrc2=size=320x180:rate=15:duration=6"
tone="sine=frequency=440:sample_rate=22050:duration=6"
video="-c:v libx264 -profile:v baseline -level 3.0 -pix_fmt yuv420p -preset veryfast -b:v 48k -maxrate 64k -bufsize 128k -g 30 -keyint_min 30 -sc_threshold 0 -x264-params nal-hrd=none"
audio="-c:a aac -b:a 32k -ac 1 -ar 22050"
common="-hide_banner -loglevel error -y -f lavfi -i $src -f lavfi -i $tone -map 0:v -map 1:a -fflags +bitexact -flags:v +bitexact -flags:a +bitexact"

# (a) HLS: playlist + three segments
# shellcheck disable=SC2086
ffmpeg $common $video $audio -f hls -hls_time 2 -hls_list_size 0 -hls_playlist_type vod \
  -hls_segment_filename "$out/9001_%d.ts" "$out/9001.m3u8"

# (b) one MPEG-TS file
# shellcheck disable=SC2086
ffmpeg $common $video $audio -f mpegts "$out/9001.ts"

# (c) one fast-start MP4 (plain <video> can't play MPEG-TS or, in most browsers, HLS)
# shellcheck disable=SC2086
ffmpeg $common $video $audio -movflags +faststart -f mp4 "$out/9001.mp4"

du -cb "$out"/9001* | tail -1 | awk '{ printf "demo/media: %d bytes\n", $1 }'
