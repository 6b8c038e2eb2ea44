// capi-dcs-image: builds a container image from folders without a container engine, and reads one back.
//
//	capi-dcs-image build --layer DIR [--layer DIR ...] --entrypoint '["/bin/app"]' --user 65532:65532 \
//	  --env K=V --workdir /app --label K=V --port 8080/tcp --tag NAME:TAG \
//	  --oci-layout OUT_DIR --tarball OUT.tar
//
// Each folder becomes one layer (files owned by root, modes and symlinks kept, sorted, fixed times),
// so the same folders give the same digest. Prints a JSON summary (digest, sizes) on stdout.
//
//	capi-dcs-image unpack --oci-layout DIR      the image's flattened filesystem as a tar on stdout
//	capi-dcs-image inspect --tarball FILE       digest, sizes and config of a docker-save tarball (JSON)
package main

import (
	"archive/tar"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

type summary struct {
	Digest            string   `json:"digest"`
	ConfigDigest      string   `json:"configDigest"`
	Tag               string   `json:"tag,omitempty"`
	CompressedBytes   int64    `json:"compressedBytes"`
	UncompressedBytes int64    `json:"uncompressedBytes,omitempty"`
	Layers            []string `json:"layers"`
}

func main() {
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: capi-dcs-image build|unpack|inspect [flags]"))
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "build":
		err = buildCommand(args)
	case "unpack":
		err = unpackCommand(args)
	case "inspect":
		err = inspectCommand(args)
	default:
		err = fmt.Errorf("unknown command %q (build, unpack, inspect)", cmd)
	}
	if err != nil {
		fail(err)
	}
}

func buildCommand(args []string) error {
	flag := flag.NewFlagSet("build", flag.ExitOnError)
	var layers, env, labels, ports list
	flag.Var(&layers, "layer", "folder to add as one layer (repeat, bottom first)")
	flag.Var(&env, "env", "K=V environment variable (repeat)")
	flag.Var(&labels, "label", "K=V image label (repeat)")
	flag.Var(&ports, "port", "exposed port such as 8080/tcp (repeat)")
	entrypoint := flag.String("entrypoint", "", "entrypoint as a JSON array")
	user := flag.String("user", "", "user[:group] the process runs as")
	workdir := flag.String("workdir", "/", "working directory")
	tag := flag.String("tag", "", "image reference recorded in the tarball and the layout")
	ociLayout := flag.String("oci-layout", "", "write an OCI image layout to this folder")
	tarPath := flag.String("tarball", "", "write a docker-save style tarball to this file")
	created := flag.String("created", "1970-01-01T00:00:00Z", "creation time (RFC 3339)")
	_ = flag.Parse(args)
	if len(layers) == 0 || *tag == "" || *entrypoint == "" || (*ociLayout == "" && *tarPath == "") {
		return fmt.Errorf("need --layer, --entrypoint, --tag and --oci-layout or --tarball")
	}
	s, err := build(layers, env, labels, ports, *entrypoint, *user, *workdir, *tag, *created, *ociLayout, *tarPath)
	if err != nil {
		return err
	}
	return printJSON(s)
}

// unpackCommand writes the filesystem of the layout's only image (all layers applied) to stdout.
func unpackCommand(args []string) error {
	flag := flag.NewFlagSet("unpack", flag.ExitOnError)
	ociLayout := flag.String("oci-layout", "", "OCI image layout folder")
	_ = flag.Parse(args)
	index, err := layout.ImageIndexFromPath(*ociLayout)
	if err != nil {
		return err
	}
	manifest, err := index.IndexManifest()
	if err != nil {
		return err
	}
	if len(manifest.Manifests) != 1 {
		return fmt.Errorf("%s holds %d images; expected 1", *ociLayout, len(manifest.Manifests))
	}
	img, err := index.Image(manifest.Manifests[0].Digest)
	if err != nil {
		return err
	}
	rc := mutate.Extract(img)
	defer rc.Close()
	_, err = io.Copy(os.Stdout, rc)
	return err
}

// inspectCommand reads a docker-save tarball back (as kind and docker load do) and summarizes it.
func inspectCommand(args []string) error {
	flag := flag.NewFlagSet("inspect", flag.ExitOnError)
	tarPath := flag.String("tarball", "", "docker-save style tarball")
	_ = flag.Parse(args)
	img, err := tarball.ImageFromPath(*tarPath, nil)
	if err != nil {
		return err
	}
	s, err := summarize(img, "", 0)
	if err != nil {
		return err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return err
	}
	return printJSON(struct {
		*summary
		Config v1.Config `json:"config"`
	}{s, cfg.Config})
}

func printJSON(v any) error {
	out, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Println(string(out))
	return err
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "capi-dcs-image: %v\n", err)
	os.Exit(1)
}

func build(dirs, env, labels, ports []string, entrypoint, user, workdir, tag, created, ociLayout, tarPath string) (*summary, error) {
	ref, err := name.NewTag(tag)
	if err != nil {
		return nil, err
	}
	when, err := time.Parse(time.RFC3339, created)
	if err != nil {
		return nil, err
	}
	var entry []string
	if err := json.Unmarshal([]byte(entrypoint), &entry); err != nil {
		return nil, fmt.Errorf("--entrypoint: %w", err)
	}
	tmp, err := os.MkdirTemp("", "capi-dcs-image-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	var uncompressed int64
	for i, dir := range dirs {
		tarFile := filepath.Join(tmp, fmt.Sprintf("layer-%d.tar", i))
		n, err := tarFolder(dir, tarFile, when)
		if err != nil {
			return nil, fmt.Errorf("layer %s: %w", dir, err)
		}
		uncompressed += n
		// Compressed once and kept: the digest, the layout and the tarball all read the same bytes.
		layer, err := tarball.LayerFromFile(tarFile, tarball.WithMediaType(types.OCILayer), tarball.WithCompressedCaching)
		if err != nil {
			return nil, err
		}
		if img, err = mutate.Append(img, mutate.Addendum{Layer: layer, History: v1.History{Created: v1.Time{Time: when}, CreatedBy: "capi-dcs-image --layer " + filepath.Base(dir)}}); err != nil {
			return nil, err
		}
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture = "linux", "amd64"
	cfg.Created = v1.Time{Time: when}
	cfg.Config.Entrypoint = entry
	cfg.Config.User = user
	cfg.Config.WorkingDir = workdir
	cfg.Config.Env = env
	cfg.Config.Labels = keyValues(labels)
	cfg.Config.ExposedPorts = map[string]struct{}{}
	for _, p := range ports {
		cfg.Config.ExposedPorts[p] = struct{}{}
	}
	if img, err = mutate.ConfigFile(img, cfg); err != nil {
		return nil, err
	}

	if ociLayout != "" {
		if err := os.RemoveAll(ociLayout); err != nil {
			return nil, err
		}
		p, err := layout.Write(ociLayout, empty.Index)
		if err != nil {
			return nil, err
		}
		if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": ref.String()})); err != nil {
			return nil, err
		}
	}
	if tarPath != "" {
		if err := tarball.WriteToFile(tarPath, ref, img); err != nil {
			return nil, err
		}
	}
	return summarize(img, ref.String(), uncompressed)
}

func summarize(img v1.Image, tag string, uncompressed int64) (*summary, error) {
	digest, err := img.Digest()
	if err != nil {
		return nil, err
	}
	configName, err := img.ConfigName()
	if err != nil {
		return nil, err
	}
	manifest, err := img.Manifest()
	if err != nil {
		return nil, err
	}
	s := &summary{Digest: digest.String(), ConfigDigest: configName.String(), Tag: tag, UncompressedBytes: uncompressed}
	s.CompressedBytes = manifest.Config.Size
	for _, l := range manifest.Layers {
		s.CompressedBytes += l.Size
		s.Layers = append(s.Layers, l.Digest.String())
	}
	return s, nil
}

func keyValues(pairs []string) map[string]string {
	m := map[string]string{}
	for _, kv := range pairs {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}

// tarFolder writes dir's contents as a layer tar (paths relative to dir) and returns its size.
func tarFolder(dir, out string, when time.Time) (int64, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != dir {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	sort.Strings(paths)
	f, err := os.Create(out)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	for _, path := range paths {
		if err := addEntry(tw, dir, path, when); err != nil {
			return 0, err
		}
	}
	if err := tw.Close(); err != nil {
		return 0, err
	}
	info, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return info.Size(), f.Close()
}

func addEntry(tw *tar.Writer, root, path string, when time.Time) error {
	info, err := os.Lstat(path)
	if err != nil {
		return err
	}
	link := ""
	if info.Mode()&fs.ModeSymlink != 0 {
		if link, err = os.Readlink(path); err != nil {
			return err
		}
	}
	hdr, err := tar.FileInfoHeader(info, link)
	if err != nil {
		return err
	}
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return err
	}
	hdr.Name = filepath.ToSlash(rel)
	if info.IsDir() {
		hdr.Name += "/"
	}
	// Owned by root: the non-root user of the image can read and run the files, not change them.
	hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "root", "root"
	hdr.ModTime, hdr.AccessTime, hdr.ChangeTime = when, time.Time{}, time.Time{}
	hdr.Format = tar.FormatPAX
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return nil
	}
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close()
	_, err = io.Copy(tw, src)
	return err
}
